package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.ExperimentResult;
import dev.tokentherm.experiment.LocalExecutor;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.sweep.SweepPlan;
import dev.tokentherm.sweep.SweepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm sweep SWEEP.yaml}: many runs of one scenario, in parallel, resumable; {@code sweep merge}. */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = SweepCommand.Merge.class,
    description = "Run a sweep file's points × replications in parallel into DIR/points/ (one folder per run"
        + " hash: a restarted sweep skips finished runs) and write DIR/sweep.csv, sweep_summary.csv,"
        + " sweep_paired.csv, sweep.md and sweep.html (Pareto fronts).")
final class SweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SWEEP", description = "sweep file (YAML)")
  Path sweepFile;

  @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: results/sweeps/<file name>)")
  Path out;

  @Option(names = "--shard", paramLabel = "i/N",
      description = "run only share i of N (run k goes to share k mod N + 1); join shares with 'sweep merge'")
  String shard;

  @Option(names = "--threads", paramLabel = "N", description = "runs at once (default: the machine's cores)")
  Integer threads;

  @Option(names = "--profiles", paramLabel = "DIR",
      description = "hardware-profiles folder (default: the nearest one at or above the base scenario)")
  Path profilesDir;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (sweepFile == null) {
      err.println("tokentherm: sweep: no sweep file; allowed: tokentherm sweep SWEEP.yaml, or tokentherm sweep merge DIR...");
      return Main.BAD_INPUT;
    }
    SweepRunner.Shard share;
    try {
      share = shard == null ? SweepRunner.Shard.ALL : SweepRunner.Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      err.println("tokentherm: --shard: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (threads != null && (threads < 1 || threads > 1024)) {
      err.println("tokentherm: --threads: " + threads + "; allowed: 1 to 1024");
      return Main.BAD_INPUT;
    }
    SweepPlan plan = checkedPlan(sweepFile, profilesDir, err);
    if (plan == null) {
      return Main.BAD_INPUT;
    }
    Path dir = out != null ? out : Path.of("results", "sweeps", stem(sweepFile));
    String refusal = SweepRunner.refusal("--out " + dir, dir);
    if (refusal != null) {
      err.println("tokentherm: " + refusal);
      return Main.BAD_INPUT;
    }
    LocalExecutor executor = threads != null ? new LocalExecutor(threads) : LocalExecutor.ofCores();
    SweepProgress progress = SweepProgress.forTerminal(executor.threads());
    long start = System.nanoTime();
    SweepRunner.Outcome outcome;
    try {
      outcome = SweepRunner.run(plan, dir, share, executor, progress);
    } catch (ConfigException e) {
      progress.finish();
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException e) {
      progress.finish();
      err.println("tokentherm: --out " + dir + ": cannot be written: " + ResultsFolder.describe(e));
      return Main.BAD_INPUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.finish();
      err.println("tokentherm: sweep interrupted; run the same command again to go on");
      return 1;
    } catch (ExecutionException e) {
      progress.finish();
      err.println("tokentherm: internal error: " + e.getCause());
      return 1;
    }
    progress.finish();
    double wallS = (System.nanoTime() - start) * 1e-9;
    int total = outcome.result().records().size();
    stdout.printf(Locale.ROOT, "%s: %s%d runs (%d points × %d replications%s): %d run, %d already done, %d failed,"
            + " in %.1f s on %d threads%n", sweepFile, share.count() > 1 ? "shard " + share + ", " : "", total,
        plan.points().size(), plan.sweep().replications(), share.count() > 1 ? ", all shards" : "", outcome.ran(),
        outcome.reused(), outcome.failed(), wallS, executor.threads());
    if (outcome.tablesWritten()) {
      stdout.println("results: " + dir + " (sweep.csv, sweep_summary.csv, sweep_paired.csv, sweep.md, sweep.html)");
    } else {
      stdout.println("results: " + dir + " (points/ and sweep.json; join the shards' folders with: tokentherm sweep"
          + " merge DIR... --out DIR)");
    }
    stdout.flush();
    return reportFailures(err, outcome.result());
  }

  /** The sweep file read and every point checked, or null with the errors printed. */
  static SweepPlan checkedPlan(Path file, Path profilesDir, PrintWriter err) {
    try {
      SweepPlan plan = SweepPlan.load(file, profilesDir);
      plan.check();
      return plan;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return null;
    }
  }

  static int reportFailures(PrintWriter err, ExperimentResult result) {
    int failed = 0;
    for (RunRecord r : result.records()) {
      if (!r.ok()) {
        if (failed < 3) {
          err.println("tokentherm: point " + r.run().treatment() + " replication " + r.run().replication() + ": "
              + r.error());
        }
        failed++;
      }
    }
    if (failed > 3) {
      err.println("… and " + (failed - 3) + " more failed runs");
    }
    err.flush();
    return failed == 0 ? 0 : Main.BAD_INPUT;
  }

  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** {@code tokentherm sweep merge DIR...}: the shards' folders joined into one sweep's tables. */
  @Command(name = "merge", mixinStandardHelpOptions = true,
      description = "Join the folders of a sweep's shards (sweep --shard i/N) into one: points copied into --out's"
          + " points/, and sweep.csv, sweep_summary.csv, sweep_paired.csv, sweep.md and sweep.html written as an"
          + " unsharded sweep would.")
  static final class Merge implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "the shards' output folders")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "where the joined sweep goes (default: the first DIR)")
    Path out;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path target = out != null ? out : dirs.get(0);
      String refusal = SweepRunner.refusal("--out " + target, target);
      if (refusal != null) {
        err.println("tokentherm: " + refusal);
        return Main.BAD_INPUT;
      }
      ExperimentResult result;
      try {
        result = SweepRunner.merge(dirs, target);
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return Main.BAD_INPUT;
      } catch (IOException e) {
        err.println("tokentherm: --out " + target + ": cannot be written: " + ResultsFolder.describe(e));
        return Main.BAD_INPUT;
      }
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println("merged " + dirs.size() + " folders, " + result.records().size() + " runs: " + target
          + " (sweep.csv, sweep_summary.csv, sweep_paired.csv, sweep.md, sweep.html)");
      stdout.flush();
      return reportFailures(err, result);
    }
  }
}
