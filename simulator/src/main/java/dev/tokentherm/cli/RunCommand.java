package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.RunPipeline;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.sim.Progress;
import dev.tokentherm.sim.RunResult;
import dev.tokentherm.sim.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm run SCENARIO}: simulate, print a short summary, write the results folder (the
 * work itself is experiment.RunPipeline, shared with sweeps; this class parses options and prints).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Simulate a scenario and write manifest.json, summary.json and conversations.csv "
        + "to results/<name>/ (or --out).")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file (YAML)")
  Path scenarioFile;

  @Option(names = "--seed", paramLabel = "N", description = "seed of every random stream (overrides the scenario's)")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: results/<name>)")
  Path out;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "override a scenario value, e.g. --set deployments[0].replicas=4 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--profiles", paramLabel = "DIR",
      description = "hardware-profiles folder (default: the nearest one at or above the scenario)")
  Path profilesDir;

  @Option(names = "--check", description = "check conservation (energy, KV blocks, requests) at the end; exit 3 if broken")
  boolean check;

  @Option(names = "--fault", paramLabel = "NAME", hidden = true,
      description = "test only: break one conservation law on purpose (leak-kv, hide-unfinished, extra-token,"
          + " extra-prefill, refuse-eviction, drop-iteration-energy, skip-meter-change, lose-failed-count, lose-link-bytes, leak-tier), to see"
          + " --check fail; or shutdown-replica@SECONDS: replica 0 shuts down then (repeatable)")
  List<String> faultNames = new ArrayList<>();

  @Option(names = "--shuffle-ties", paramLabel = "SEED", hidden = true,
      description = "debug: shuffle the order of simultaneous order-free events")
  Long shuffleTies;

  /** The policies scenario names are checked against and run with (set by {@link Main#execute}). */
  PolicyRegistry policies = PolicyRegistry.standard();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    Faults faults;
    try {
      faults = Faults.of(faultNames);
    } catch (IllegalArgumentException e) {
      err.println("tokentherm: --fault: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    RunPipeline.Request request = new RunPipeline.Request(scenarioFile, sets, seed, profilesDir, policies, faults,
        shuffleTies, true);
    RunPipeline.Prepared prepared;
    try {
      prepared = RunPipeline.prepare(request); // load, then the plans' limits: before anything is written
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    Scenario scenario = prepared.scenario();
    Path target = out != null ? out : Path.of("results", scenario.name());
    ProgressLine progress = ProgressLine.forTerminal();
    RunPipeline.Outcome outcome;
    try {
      outcome = RunPipeline.run(prepared, target, "--out", shuffleTies != null ? Progress.NONE : progress,
          RunPipeline.BeforeCommit.NONE);
    } catch (ConfigException e) {
      progress.finish();
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    } catch (ResultsFolder.Refused e) {
      progress.finish();
      err.println("tokentherm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException e) {
      // disk full, read-only, permissions: the folder has cleaned up after itself on close
      progress.finish();
      err.println("tokentherm: --out " + target + ": cannot be written: " + ResultsFolder.describe(e));
      return Main.BAD_INPUT;
    }
    progress.finish();
    RunResult result = outcome.result();
    stdout.print(RunSummary.table(outcome.summary(), result));
    stdout.println("results: " + target + (outcome.replaced() ? " (replaced the previous run's results)" : ""));
    stdout.flush();
    if (result.isStalled()) {
      err.println("tokentherm: stalled: " + result.stalled());
    }
    if (check) {
      List<String> broken = dev.tokentherm.sim.Conservation.violations(result);
      for (String b : broken) {
        err.println("tokentherm: conservation broken: " + b);
      }
      if (!broken.isEmpty()) {
        return Main.BROKEN_LAW;
      }
      stdout.println("check: energy, KV blocks, requests, tokens and prefill conserved, and link and KV tier bytes");
      stdout.flush();
    }
    return result.isStalled() ? Main.STALLED : 0;
  }
}
