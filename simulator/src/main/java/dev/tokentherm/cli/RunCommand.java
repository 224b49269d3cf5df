package dev.tokentherm.cli;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.metrics.RequestCsvWriter;
import dev.tokentherm.metrics.RequestSink;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.SampleCsvWriter;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.metrics.TimelineSink;
import dev.tokentherm.metrics.TimelineWriter;
import dev.tokentherm.metrics.TurnCsvWriter;
import dev.tokentherm.metrics.TurnSink;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.results.Manifest;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.results.RunHash;
import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryJson;
import dev.tokentherm.scenario.Limits;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.sim.DeploymentPlan;
import dev.tokentherm.sim.Progress;
import dev.tokentherm.sim.ReportOutputs;
import dev.tokentherm.sim.RunResult;
import dev.tokentherm.sim.RunSummary;
import dev.tokentherm.sim.SetupException;
import dev.tokentherm.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.tokentherm.serving.Faults;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm run SCENARIO}: simulate, print a short summary, write the results folder. */
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
    List<String> overrides = new ArrayList<>(sets);
    if (seed != null) {
      overrides.add("seed=" + seed);
    }
    Faults faults;
    try {
      faults = Faults.of(faultNames);
    } catch (IllegalArgumentException e) {
      err.println("tokentherm: --fault: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Loaded loaded;
    try {
      loaded = Loaded.load(scenarioFile, overrides, profilesDir, policies);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    Scenario scenario = loaded.scenario().value();
    Path target = out != null ? out : Path.of("results", scenario.name());
    try {
      Loaded.checkPlans(loaded.scenario(), Simulation.plan(scenario, loaded.profiles())); // before anything is written
    } catch (SetupException e) {
      err.println(Loaded.located(loaded.scenario(), e).getMessage());
      return Main.BAD_INPUT;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    ProgressLine progress = ProgressLine.forTerminal();
    long wallStart = System.nanoTime();
    RunResult result;
    Summary summary;
    boolean replaced;
    ReportOutputs report = ReportOutputs.of(scenario); // latencies.hlog, and report.html/.md with their data
    try (ResultsFolder folder = ResultsFolder.open(target)) {
      try (TurnSink turns = scenario.outputs().conversationsCsv()
          ? new TurnCsvWriter(Files.newBufferedWriter(folder.file("conversations.csv"), StandardCharsets.UTF_8))
          : TurnSink.NONE;
          RequestSink requests = scenario.outputs().requestsCsv()
              ? new RequestCsvWriter(Files.newBufferedWriter(folder.file("requests.csv"), StandardCharsets.UTF_8))
              : RequestSink.NONE;
          SampleSink samples = scenario.outputs().timeseriesCsv() || scenario.outputs().devicesCsv()
              || scenario.outputs().linksCsv()
              || scenario.outputs().tiersCsv()
              ? new SampleCsvWriter(
                  scenario.outputs().timeseriesCsv()
                      ? Files.newBufferedWriter(folder.file("timeseries.csv"), StandardCharsets.UTF_8) : null,
                  scenario.outputs().devicesCsv()
                      ? Files.newBufferedWriter(folder.file("devices.csv"), StandardCharsets.UTF_8) : null,
                  scenario.outputs().linksCsv()
                      ? Files.newBufferedWriter(folder.file("links.csv"), StandardCharsets.UTF_8) : null,
                  scenario.outputs().tiersCsv()
                      ? Files.newBufferedWriter(folder.file("tiers.csv"), StandardCharsets.UTF_8) : null)
              : SampleSink.NONE;
          TimelineSink timeline = scenario.outputs().timeline()
              ? TimelineWriter.of(scenario.outputs(),
                  Files.newBufferedWriter(folder.file("timeline.json"), StandardCharsets.UTF_8))
              : TimelineSink.NONE) {
        Path baseDir = scenarioFile.toAbsolutePath().getParent();
        result = Simulation.run(scenario, loaded.profiles(), report.sinks(new RunSinks(turns, requests, samples, timeline)),
            shuffleTies != null ? Progress.NONE : progress, baseDir, policies, faults, shuffleTies);
      } catch (SetupException e) {
        progress.finish();
        err.println(Loaded.located(loaded.scenario(), e).getMessage());
        return Main.BAD_INPUT;
      }
      progress.finish();
      double wallS = (System.nanoTime() - wallStart) * 1e-9;
      summary = RunSummary.of(scenario, result);
      SummaryJson.write(folder.file("summary.json"), summary);
      SummaryJson.write(folder.file("manifest.json"), manifest(scenario, loaded.profiles(), result, wallS));
      report.write(folder.folder(), loaded.profiles(), result);
      replaced = folder.commit();
    } catch (ResultsFolder.Refused e) {
      err.println("tokentherm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException | UncheckedIOException e) {
      // disk full, read-only, permissions: the folder has cleaned up after itself on close
      progress.finish();
      err.println("tokentherm: --out " + target + ": cannot be written: " + ResultsFolder.describe(e));
      return Main.BAD_INPUT;
    }
    stdout.print(RunSummary.table(summary, result));
    stdout.println("results: " + target + (replaced ? " (replaced the previous run's results)" : ""));
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

  private Manifest manifest(Scenario scenario, ResolvedProfiles profiles, RunResult result, double wallS)
      throws IOException {
    RunHash hash = RunHash.of(scenario, profiles, scenarioFile.toAbsolutePath().getParent());
    return Manifest.of(scenarioFile.toString(), sets,
        String.valueOf(profilesDir != null ? profilesDir : ProfileLibrary.locate(scenarioFile)), scenario.seed(), hash,
        Instant.now().toString(), wallS, result.events(), result.metrics().counters().runRequestsArrived());
  }

  /** A scenario with its resolved profiles. */
  record Loaded(Bound<Scenario> scenario, ResolvedProfiles profiles) {
    static Loaded load(Path file, List<String> sets, Path profilesDir) throws ConfigException {
      return load(file, sets, profilesDir, PolicyRegistry.standard());
    }

    /** The scenario with its policy names checked against {@code policies}, and its profiles. */
    static Loaded load(Path file, List<String> sets, Path profilesDir, PolicyRegistry policies)
        throws ConfigException {
      Bound<Scenario> bound = ScenarioLoader.load(file, sets, policies);
      ProfileLibrary library = new ProfileLibrary(profilesDir != null ? profilesDir : ProfileLibrary.locate(file));
      return new Loaded(bound, library.resolve(bound));
    }

    /**
     * Limits that need the plans: the KV blocks of every replica together (each block costs
     * bookkeeping memory up front).
     */
    static void checkPlans(Bound<Scenario> scenario, List<DeploymentPlan> plans) throws ConfigException {
      long total = 0;
      for (int i = 0; i < plans.size(); i++) {
        DeploymentPlan p = plans.get(i);
        total += (long) p.spec().replicas() * Math.max(0, p.kv().blocks());
        if (total > Limits.MAX_KV_BLOCKS || total < 0) {
          String path = "deployments[" + i + "]" + (p.kv().measuredBlocks() ? ".kv.num_gpu_blocks" : ".replicas");
          throw new ConfigException(scenario.errorAt(path, "brings the run to " + total
              + " KV blocks (" + p.kv().blocks() + " per replica × " + p.spec().replicas()
              + " replicas, with the deployments before it); allowed: at most " + Limits.MAX_KV_BLOCKS
              + " KV blocks in one run (each costs ~50 bytes of bookkeeping up front); larger"
              + " kv.block_tokens, fewer replicas or a smaller kv.num_gpu_blocks"));
        }
      }
    }

    /** Turns setup problems into located one-line errors. */
    static ConfigException located(Bound<Scenario> scenario, SetupException e) {
      List<ConfigError> errors = new ArrayList<>();
      for (SetupException.Problem p : e.problems()) {
        errors.add(scenario.errorAt(p.path(), p.message()));
      }
      return new ConfigException(errors, e.unlisted());
    }
  }
}
