package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.LocalExecutor;
import dev.tokentherm.experiment.PointStore;
import dev.tokentherm.plan.Bisection;
import dev.tokentherm.plan.PlanFile;
import dev.tokentherm.plan.PlanHtml;
import dev.tokentherm.plan.PlanReport;
import dev.tokentherm.plan.PlanRunner;
import dev.tokentherm.plan.Probe;
import dev.tokentherm.plan.Ranking;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm plan PLAN.yaml}: each candidate's stable and SLO capacities by bisection,
 * then the candidates ranked by the plan's objective; {@code DIR/plan.csv}, {@code DIR/plan.md},
 * runs under {@code DIR/points/} (a rerun reads them back).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Capacity search: per candidate, the highest stable load and the highest load meeting the SLO"
        + " (bisection, replications in parallel), ranked by cost, energy or GPUs per unit of load.")
final class PlanCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PLAN", description = "plan file (YAML)")
  Path planFile;

  @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: results/<plan file name>)")
  Path out;

  @Option(names = "--profiles", paramLabel = "DIR",
      description = "hardware-profiles folder (default: the nearest one at or above the base scenario)")
  Path profilesDir;

  @Option(names = "--threads", paramLabel = "N", description = "runs in parallel (default: the machine's cores)")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads != null && threads < 1) {
      err.println("tokentherm: --threads " + threads + "; allowed: at least 1");
      return Main.BAD_INPUT;
    }
    PlanFile file;
    try {
      file = PlanFile.load(planFile, profilesDir);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    String name = planFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    Path dir = out != null ? out : Path.of("results", name);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      err.println("tokentherm: --out " + dir + ": is a file; allowed: a folder (new, or an earlier plan's)");
      return Main.BAD_INPUT;
    }
    var plan = file.plan();
    var search = plan.search();
    LocalExecutor executor = threads != null ? new LocalExecutor(threads) : LocalExecutor.ofCores();
    stdout.printf(Locale.ROOT, "plan %s: %d candidate%s, %s (%s) from %s to %s, tolerance %s, %d replications,"
            + " %d threads%n", name, plan.candidates().size(), plan.candidates().size() == 1 ? "" : "s",
        search.path(), search.unit(), Bisection.format(search.min()), Bisection.format(search.max()),
        Bisection.format(search.tolerance()), plan.replications(), executor.threads());
    stdout.flush();
    long start = System.nanoTime();
    PlanProgress progress = PlanProgress.forTerminal(plan, executor.threads());
    PlanRunner runner = PlanRunner.of(file, PointStore.in(dir), executor);
    List<PlanRunner.CandidateResult> results = new ArrayList<>();
    int[] counts = new int[2];
    try {
      for (int c = 0; c < plan.candidates().size(); c++) {
        results.add(runner.run(c, probe -> {
          counts[0] += probe.runs().stream().filter(r -> r != null).count();
          counts[1] += probe.reused();
          progress.clear();
          stdout.println(probeLine(file, probe));
          stdout.flush();
          progress.probed(probe);
        }));
        PlanRunner.CandidateResult r = results.get(c);
        progress.clear();
        stdout.printf(Locale.ROOT, "%s: stable capacity %s, SLO capacity %s %s%n", plan.candidates().get(c).name(),
            PlanReport.capacity(r.stable(), search), PlanReport.capacity(r.slo(), search), search.unit());
        stdout.flush();
      }
    } catch (IOException e) {
      progress.clear();
      err.println("tokentherm: " + dir + ": cannot be written: " + ResultsFolder.describe(e));
      return 1;
    } finally {
      progress.clear();
    }
    List<Ranking.Entry> ranked = Ranking.rankAll(file, results);
    try {
      Files.createDirectories(dir);
      write(dir.resolve("plan.csv"), PlanReport.csv(plan, results));
      write(dir.resolve("plan.md"), PlanReport.markdown(file, results, ranked));
      write(dir.resolve(PlanHtml.FILE), PlanHtml.of(file, results));
    } catch (IOException e) {
      err.println("tokentherm: " + dir + ": cannot be written: " + ResultsFolder.describe(e));
      return 1;
    }
    StringBuilder ranking = new StringBuilder("ranking by " + plan.objective() + ":");
    int rank = 0;
    for (Ranking.Entry e : ranked) {
      double score = e.score(plan.objective());
      ranking.append(' ').append(Double.isNaN(score) ? "-" : String.valueOf(++rank)).append(". ")
          .append(e.candidate()).append(" (").append(PlanReport.scoreText(e, plan.objective(), search)).append(")");
    }
    stdout.println(ranking);
    stdout.printf(Locale.ROOT, "results: %s (plan.md, plan.csv, plan.html; %d runs, %d read back from points/, %.0f s)%n", dir,
        counts[0], counts[1], (System.nanoTime() - start) * 1e-9);
    stdout.flush();
    return 0;
  }

  private static String probeLine(PlanFile file, Probe p) {
    var plan = file.plan();
    String verdict = !p.verdict().stable() ? "fails: " + p.verdict().reason()
        : p.verdict().slo() ? "stable, meets the SLO" : "stable, misses the SLO: " + p.verdict().reason();
    long ran = p.runs().stream().filter(r -> r != null).count();
    return String.format(Locale.ROOT, "%s: probe %d at %s %s: %s (%d run%s, %d read back, %.1f s)",
        plan.candidates().get(p.candidate()).name(), p.number(), Bisection.format(p.value()), plan.search().unit(),
        verdict, ran, ran == 1 ? "" : "s", p.reused(), p.wallS());
  }

  /** Writes a file whole or not at all (a temporary sibling moved into place). */
  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
