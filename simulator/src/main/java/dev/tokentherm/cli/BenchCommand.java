package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.LocalExecutor;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.sweep.SweepPlan;
import dev.tokentherm.sweep.SweepRunner;
import java.io.IOException;
import java.nio.file.Files;
import dev.tokentherm.experiment.LoadedScenario;
import dev.tokentherm.metrics.RunCounters;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.sim.Progress;
import dev.tokentherm.sim.RunResult;
import dev.tokentherm.sim.SetupException;
import dev.tokentherm.sim.Simulation;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
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
 * {@code tokentherm bench [SCENARIO]}: the simulator's own speed on a whole run — wall seconds,
 * wall µs per simulated request, events per second and peak heap — writing no results. The
 * launcher runs the JVM with -Xmx2g.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time a whole run without writing results: wall s, µs per simulated request, events/s, peak heap;"
        + " or with --sweep, the local executor's speed-up on a sweep.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "default: scenarios/fleet-chat-h100.yaml")
  Path scenarioFile = Path.of("scenarios", "fleet-chat-h100.yaml");

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a scenario value (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--sweep", paramLabel = "SWEEP",
      description = "instead: time a sweep file's runs on 1 thread, then on --threads (after a warm-up pass), and"
          + " print the speed-up")
  Path sweepFile;

  @Option(names = "--threads", paramLabel = "N", description = "threads of the --sweep timing (default 2)")
  int threads = 2;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sweepFile != null) {
      return sweepSpeedUp(out, err);
    }
    LoadedScenario loaded;
    try {
      loaded = LoadedScenario.load(scenarioFile, sets, null);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    long start = System.nanoTime();
    RunResult r;
    try {
      r = Simulation.run(loaded.scenario().value(), loaded.profiles(), RunSinks.NONE, Progress.NONE,
          scenarioFile.toAbsolutePath().getParent());
    } catch (SetupException e) {
      err.println(LoadedScenario.located(loaded.scenario(), e).getMessage());
      return Main.BAD_INPUT;
    }
    double wallS = (System.nanoTime() - start) * 1e-9;
    RunCounters counters = r.metrics().counters();
    long requests = counters.runRequestsArrived();
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    out.printf(Locale.ROOT, "%s: %.1f s simulated, %d requests (%d completed), %d events, status %s%n", r.name(),
        r.endNs() * 1e-9, requests, counters.runRequestsCompleted(), r.events(), dev.tokentherm.sim.RunSummary.status(r));
    out.printf(Locale.ROOT, "wall %.2f s, %.2f us per simulated request, %.2f M events/s, peak heap %.0f MiB (max %.0f MiB)%n",
        wallS, wallS * 1e6 / Math.max(1, requests), r.events() / wallS / 1e6, peakHeap / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
    out.flush();
    return 0;
  }

  /**
   * The local executor's speed-up: the sweep run into fresh temporary folders, once on {@code threads}
   * threads to warm the JVM up, then on 1 thread, then on {@code threads}; wall seconds of each
   * (points committed to disk included), and their ratio.
   */
  private int sweepSpeedUp(PrintWriter out, PrintWriter err) {
    if (threads < 1 || threads > 1024) {
      err.println("tokentherm: --threads: " + threads + "; allowed: 1 to 1024");
      return Main.BAD_INPUT;
    }
    SweepPlan plan = SweepCommand.checkedPlan(sweepFile, null, err);
    if (plan == null) {
      return Main.BAD_INPUT;
    }
    Path temp = null;
    try {
      temp = Files.createTempDirectory("tokentherm-bench-");
      double[] wall = new double[3];
      int[] pass = {threads, 1, threads};
      for (int i = 0; i < pass.length; i++) {
        long start = System.nanoTime();
        SweepRunner.Outcome o = SweepRunner.run(plan, temp.resolve("pass-" + i), SweepRunner.Shard.ALL,
            new LocalExecutor(pass[i]), ExperimentRunner.Listener.NONE);
        wall[i] = (System.nanoTime() - start) * 1e-9;
        if (o.failed() > 0) {
          return SweepCommand.reportFailures(err, o.result());
        }
      }
      int runs = plan.points().size() * plan.sweep().replications();
      out.printf(Locale.ROOT, "%s: %d runs; warm-up on %d threads %.2f s; 1 thread %.2f s; %d threads %.2f s;"
          + " speed-up %.2f× (%d cores)%n", sweepFile, runs, threads, wall[0], wall[1], threads, wall[2],
          wall[1] / wall[2], Runtime.getRuntime().availableProcessors());
      out.flush();
      return 0;
    } catch (Exception e) {
      err.println("tokentherm: bench --sweep: " + e);
      return 1;
    } finally {
      if (temp != null) {
        try {
          ResultsFolder.deleteTree(temp);
        } catch (IOException e) {
          err.println("tokentherm: could not remove " + temp + ": " + ResultsFolder.describe(e));
        }
      }
    }
  }
}
