package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.LocalExecutor;
import dev.tokentherm.experiment.PointStore;
import dev.tokentherm.plan.PlanFile;
import dev.tokentherm.plan.PlanReport;
import dev.tokentherm.plan.PlanRunner;
import dev.tokentherm.plan.Ranking;
import dev.tokentherm.report.Comparison;
import dev.tokentherm.report.GalleryPage;
import dev.tokentherm.report.ReportException;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.report.Results;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.sweep.SweepHtml;
import dev.tokentherm.sweep.SweepMarkdown;
import dev.tokentherm.sweep.SweepPlan;
import dev.tokentherm.sweep.SweepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm gallery [--out reports] [SCENARIO...]}: runs every shipped scenario in-process
 * (scenarios/*.yaml and one folder down, scenarios/sweeps/ left out) and writes its page
 * ({@link GalleryPage}) to {@code reports/<path under scenarios/ without .yaml>.md}; keeps the
 * report.html of {@link #HTML}; writes the comparison of quickstart under two batch policies
 * over three seeds ({@link #COMPARE}); then runs the sweeps of {@link #SWEEPS} and the plans of
 * {@link #PLANS} and keeps their sweep.md and sweep.html, plan.md as {@code reports/sweeps/NAME.md}.
 * Named files (scenarios, or those sweeps and plans): only their pages.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
    description = "Regenerate reports/: run each shipped scenario (scenarios/*.yaml, scenarios/*/*.yaml but"
        + " sweeps/) and write reports/<scenario>.md, quickstart.html and the quickstart-policies comparison;"
        + " then the quickstart grid sweep and plan: reports/sweeps/quickstart-grid.md, .html, quickstart-plan.md.")
final class GalleryCommand implements Callable<Integer> {
  static final Path SCENARIOS = Path.of("scenarios");
  /** Folders under scenarios/ that hold no stand-alone scenarios. */
  static final List<String> LEFT_OUT = List.of("sweeps");
  /** Scenarios whose report.html the gallery keeps (small ones: ECharts alone is ~1 MB). */
  static final List<String> HTML = List.of("quickstart.yaml");
  /** The comparison page: quickstart's batch policy, each over these seeds. */
  static final String COMPARE = "quickstart-policies";
  static final List<String> COMPARE_POLICIES = List.of("vllm-v1", "static");
  static final List<Long> COMPARE_SEEDS = List.of(1L, 2L, 3L);
  /** Shipped sweeps whose sweep.md (and sweep.html) the gallery keeps, as sweeps/NAME.md and .html. */
  static final List<String> SWEEPS = List.of("sweeps/quickstart-grid.yaml");
  /** Shipped plans whose plan.md the gallery keeps, as sweeps/NAME.md. */
  static final List<String> PLANS = List.of("sweeps/quickstart-plan.yaml");
  /**
   * Shipped sweep and plan files the gallery does not run: fleet-plan takes about 12 minutes (64
   * runs of the 900 s fleet), bench-20 is the executor's benchmark (its answer is a speed-up, which
   * a page of fronts does not show).
   */
  static final List<String> SWEEPS_LEFT_OUT = List.of("sweeps/bench-20.yaml", "sweeps/fleet-plan.yaml");

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "the gallery folder (default: reports)")
  Path out = Path.of("reports");

  @Parameters(paramLabel = "SCENARIO", arity = "0..*",
      description = "only these shipped scenarios (e.g. scenarios/quickstart.yaml), or the gallery's sweeps and plans"
          + " (scenarios/sweeps/quickstart-plan.yaml); default: all, the comparison, the sweeps and plans")
  List<Path> only = new ArrayList<>();

  /** The seam to the run pipeline. */
  ScenarioRunner runner = ScenarioRunner.viaPipeline();

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> scenarios;
    try {
      scenarios = only.isEmpty() ? shipped() : only;
      for (Path s : scenarios) {
        if (!Files.isRegularFile(s) || !s.normalize().startsWith(SCENARIOS)) {
          err.println("tokentherm: gallery: " + s + ": not a shipped scenario; allowed: a .yaml file under "
              + SCENARIOS + "/ (run from the repository root)");
          return Main.BAD_INPUT;
        }
      }
      Files.createDirectories(out);
    } catch (IOException | UncheckedIOException e) {
      err.println("tokentherm: gallery: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Path work;
    try {
      work = Files.createTempDirectory("tokentherm-gallery");
    } catch (IOException e) {
      err.println("tokentherm: gallery: no temporary folder: " + ResultsFolder.describe(e));
      return 1;
    }
    try {
      List<Path> all = new ArrayList<>(scenarios);
      if (only.isEmpty()) {
        for (String f : SWEEPS) {
          all.add(SCENARIOS.resolve(f));
        }
        for (String f : PLANS) {
          all.add(SCENARIOS.resolve(f));
        }
      }
      for (Path s : all) {
        long start = System.nanoTime();
        String key = name(s) + ".yaml";
        String page = SWEEPS.contains(key) ? sweepPage(s, work) : PLANS.contains(key) ? planPage(s, work)
            : page(s, work);
        if (page == null) {
          return Main.BAD_INPUT;
        }
        stdout.printf(Locale.ROOT, "%s (%.1f s)%n", page, (System.nanoTime() - start) * 1e-9);
        stdout.flush();
      }
      if (only.isEmpty()) {
        long start = System.nanoTime();
        Path page = comparison(work);
        if (page == null) {
          return Main.BAD_INPUT;
        }
        stdout.printf(Locale.ROOT, "%s (%.1f s)%n", page, (System.nanoTime() - start) * 1e-9);
      }
      stdout.flush();
      return 0;
    } catch (ReportException | IOException e) {
      err.println("tokentherm: gallery: " + e.getMessage());
      return 1;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("tokentherm: gallery: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("tokentherm: gallery: internal error: " + e);
      return 1;
    } finally {
      delete(work);
    }
  }

  /** The shipped scenarios: scenarios/*.yaml, then each folder's but {@link #LEFT_OUT}, sorted. */
  static List<Path> shipped() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> top = Files.list(SCENARIOS)) {
      for (Path p : top.sorted().toList()) {
        if (Files.isDirectory(p) && !LEFT_OUT.contains(p.getFileName().toString())) {
          try (Stream<Path> inner = Files.list(p)) {
            inner.filter(GalleryCommand::isYaml).sorted().forEach(files::add);
          }
        } else if (isYaml(p)) {
          files.add(p);
        }
      }
    }
    files.sort(Comparator.comparing(p -> SCENARIOS.relativize(p).toString().contains("/") ? 1 : 0));
    return files;
  }

  private static boolean isYaml(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".yaml");
  }

  /** scenarios/a/b.yaml's name in the gallery: a/b (forward slashes on every system). */
  static String name(Path scenario) {
    String rel = SCENARIOS.relativize(scenario.normalize()).toString().replace('\\', '/');
    return rel.substring(0, rel.length() - ".yaml".length());
  }

  /** Runs one scenario and writes its page; null (after one line on stderr) when the run failed. */
  private String page(Path scenario, Path work) throws ReportException, IOException {
    String name = name(scenario);
    String key = name + ".yaml";
    Path results = work.resolve(name.replace('/', '-'));
    String failed = runner.run(scenario, List.of(), results);
    if (failed != null) {
      spec.commandLine().getErr().println("tokentherm: gallery: " + scenario + ": " + failed);
      return null;
    }
    Results r = Results.read(results);
    Path md = out.resolve(name + ".md");
    Files.createDirectories(md.getParent());
    String html = null;
    if (HTML.contains(key)) {
      html = md.getFileName().toString().replace(".md", ".html");
      Files.copy(results.resolve(ReportWriter.HTML), md.resolveSibling(html), StandardCopyOption.REPLACE_EXISTING);
    }
    String scenarioFile = SCENARIOS.resolve(key).toString().replace('\\', '/');
    Files.writeString(md, GalleryPage.markdown(r, scenarioFile, html), StandardCharsets.UTF_8);
    return md.toString();
  }

  /**
   * Runs a shipped sweep into {@code work} (every core) and keeps its sweep.md as
   * {@code sweeps/NAME.md} and sweep.html as {@code sweeps/NAME.html}: neither holds wall times or
   * paths other than the sweep file's and its base scenario's, relative to the repository root.
   */
  private String sweepPage(Path file, Path work) throws Exception {
    SweepPlan plan = SweepPlan.load(file, null);
    plan.check();
    Path dir = work.resolve(name(file).replace('/', '-'));
    SweepRunner.Outcome outcome = SweepRunner.run(plan, dir, SweepRunner.Shard.ALL, LocalExecutor.ofCores(),
        ExperimentRunner.Listener.NONE);
    if (outcome.failed() > 0) {
      spec.commandLine().getErr().println("tokentherm: gallery: " + file + ": " + outcome.failed() + " runs failed");
      return null;
    }
    Path md = out.resolve(name(file) + ".md");
    Files.createDirectories(md.getParent());
    String html = md.getFileName().toString().replace(".md", ".html");
    Files.copy(dir.resolve(SweepHtml.FILE), md.resolveSibling(html), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(md, Files.readString(dir.resolve(SweepMarkdown.FILE), StandardCharsets.UTF_8)
        + "The charts: [" + html + "](" + html + ") (the sweep's " + SweepHtml.FILE + "). Regenerated by `./tokentherm"
        + " gallery`.\n", StandardCharsets.UTF_8);
    return md.toString();
  }

  /**
   * Runs a shipped plan into {@code work} (every core) and keeps its plan.md as
   * {@code sweeps/NAME.md} (no wall times: those are only on the console).
   */
  private String planPage(Path file, Path work) throws Exception {
    PlanFile plan = PlanFile.load(file, null);
    Path dir = work.resolve(name(file).replace('/', '-'));
    List<PlanRunner.CandidateResult> results = PlanRunner.of(plan, PointStore.in(dir), LocalExecutor.ofCores())
        .runAll(PlanRunner.Listener.NONE);
    Path md = out.resolve(name(file) + ".md");
    Files.createDirectories(md.getParent());
    Files.writeString(md, PlanReport.markdown(plan, results, Ranking.rankAll(plan, results))
        + "\nPlan file `" + SCENARIOS.resolve(name(file) + ".yaml").toString().replace('\\', '/')
        + "`; regenerated by `./tokentherm gallery`.\n", StandardCharsets.UTF_8);
    return md.toString();
  }

  /** Quickstart under each of {@link #COMPARE_POLICIES} over {@link #COMPARE_SEEDS}, compared. */
  private Path comparison(Path work) throws ReportException, IOException {
    Path scenario = SCENARIOS.resolve("quickstart.yaml");
    List<Path> dirs = new ArrayList<>();
    for (String policy : COMPARE_POLICIES) {
      for (long seed : COMPARE_SEEDS) {
        Path dir = work.resolve(COMPARE + "-" + policy + "-" + seed);
        String failed = runner.run(scenario, compareSets(policy, seed), dir);
        if (failed != null) {
          spec.commandLine().getErr().println("tokentherm: gallery: " + scenario + ": " + failed);
          return null;
        }
        dirs.add(dir);
      }
    }
    Path html = out.resolve(COMPARE + ".html");
    Comparison.of(dirs).write(html);
    return Comparison.markdownFile(html);
  }

  /** The --set overrides of one run of the comparison (the README's loop runs the same). */
  static List<String> compareSets(String policy, long seed) {
    return List.of("deployments[0].scheduler.policy=" + policy, "seed=" + seed);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
