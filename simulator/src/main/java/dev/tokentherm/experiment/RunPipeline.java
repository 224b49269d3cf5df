package dev.tokentherm.experiment;

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
import dev.tokentherm.scenario.Outputs;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.sim.Progress;
import dev.tokentherm.sim.ReportOutputs;
import dev.tokentherm.sim.RunResult;
import dev.tokentherm.sim.RunSummary;
import dev.tokentherm.sim.SetupException;
import dev.tokentherm.sim.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run, in process and silent: load the scenario with its {@code --set} overrides (then the
 * seed), check its plans before anything is written, open the results folder, stream the row
 * files, simulate, write summary.json and manifest.json and commit the folder atomically. The
 * command line ({@code run}), sweeps and experiments call this same code; the caller prints.
 *
 * <p>Two steps, so that bad input is reported before any folder is touched:
 * {@link #prepare} (load and plan check) then {@link #run}.
 */
public final class RunPipeline {
  private RunPipeline() {}

  /**
   * What to run.
   *
   * @param scenarioFile the scenario file; the manifest names it as given
   * @param sets {@code --set path=value} overrides, in order (as the manifest lists them)
   * @param seed the seed, applied after {@code sets} as {@code seed=N}; null: the scenario's
   * @param profilesDir hardware-profiles folder; null: the nearest one at or above the scenario
   * @param faults test-only broken laws ({@link Faults#NONE} in a real run)
   * @param shuffleTies debug: shuffle order-free ties with this seed; null: never
   * @param rowFiles whether the row files the scenario's {@code outputs} asks for are written, with the
   *     report, its data and the timeline (false: summary.json and manifest.json only, as sweeps keep)
   */
  public record Request(Path scenarioFile, List<String> sets, Long seed, Path profilesDir, PolicyRegistry policies,
      Faults faults, Long shuffleTies, boolean rowFiles) {
    public Request {
      sets = List.copyOf(sets);
    }

    /** A plain run of {@code scenarioFile} with {@code sets}: standard policies, no faults, every row file. */
    public static Request of(Path scenarioFile, List<String> sets) {
      return new Request(scenarioFile, sets, null, null, PolicyRegistry.standard(), Faults.NONE, null, true);
    }

    public Request withSeed(Long newSeed) {
      return new Request(scenarioFile, sets, newSeed, profilesDir, policies, faults, shuffleTies, rowFiles);
    }

    public Request withProfiles(Path dir) {
      return new Request(scenarioFile, sets, seed, dir, policies, faults, shuffleTies, rowFiles);
    }

    public Request withRowFiles(boolean rows) {
      return new Request(scenarioFile, sets, seed, profilesDir, policies, faults, shuffleTies, rows);
    }

    /** The overrides applied: {@code sets}, then {@code seed=N} when a seed is given. */
    public List<String> overrides() {
      List<String> all = new ArrayList<>(sets);
      if (seed != null) {
        all.add("seed=" + seed);
      }
      return all;
    }

    /** The folder the scenario's relative paths (traces) are resolved against. */
    public Path baseDir() {
      return scenarioFile.toAbsolutePath().getParent();
    }
  }

  /** A request loaded and checked, ready to run; its run hash computed on first use. */
  public static final class Prepared {
    private final Request request;
    private final LoadedScenario loaded;
    private RunHash hash;

    private Prepared(Request request, LoadedScenario loaded) {
      this.request = request;
      this.loaded = loaded;
    }

    public Request request() {
      return request;
    }

    public LoadedScenario loaded() {
      return loaded;
    }

    public Scenario scenario() {
      return loaded.scenario().value();
    }

    /** Checks the limits that need the deployments' plans (KV blocks of the whole run). */
    public void checkPlans() throws ConfigException {
      try {
        LoadedScenario.checkPlans(loaded.scenario(), Simulation.plan(scenario(), loaded.profiles()));
      } catch (SetupException e) {
        throw LoadedScenario.located(loaded.scenario(), e);
      }
    }

    /**
     * The run hash (resolved scenario, profiles, data files, code).
     *
     * @throws IOException when a data file cannot be read
     */
    public RunHash hash() throws IOException {
      if (hash == null) {
        hash = RunHash.of(scenario(), loaded.profiles(), request.baseDir());
      }
      return hash;
    }
  }

  /**
   * A finished run.
   *
   * @param replaced whether an earlier run's results were replaced
   * @param wallS wall-clock seconds of the simulation
   */
  public record Outcome(Summary summary, RunResult result, RunHash hash, boolean replaced, double wallS) {
    /** The run's status as summary.json says it: ok, stalled, unstable, ... */
    public String status() {
      return summary.run().status();
    }
  }

  /** Writes more files into the staged folder before it is committed (reports). */
  public interface BeforeCommit {
    void write(ResultsFolder folder, Scenario scenario, Summary summary) throws IOException;

    BeforeCommit NONE = (folder, scenario, summary) -> { };
  }

  /**
   * Loads the scenario and checks the limits that need its plans.
   *
   * @throws ConfigException every problem, as one-line located errors
   */
  public static Prepared prepare(Request request) throws ConfigException {
    return prepare(request, LoadedScenario.library(request.scenarioFile(), request.profilesDir()));
  }

  /** As {@link #prepare(Request)}, the profiles read from (and kept by) {@code library}. */
  public static Prepared prepare(Request request, ProfileLibrary library) throws ConfigException {
    Prepared prepared = load(request, library);
    prepared.checkPlans();
    return prepared;
  }

  /**
   * Loads the scenario without checking its plans (enough for its run hash: a run already
   * committed need not be planned); {@link Prepared#checkPlans} before {@link #run}.
   */
  public static Prepared load(Request request, ProfileLibrary library) throws ConfigException {
    return new Prepared(request, LoadedScenario.load(request.scenarioFile(), request.overrides(), library,
        request.policies()));
  }

  /**
   * Simulates into {@code target}, committed only when every file is complete.
   *
   * @param option how messages name the target ("--out")
   * @throws ConfigException a setup problem found while wiring the run (nothing is left written)
   * @throws ResultsFolder.Refused the target may not be written, with the one-line reason
   * @throws IOException the folder could not be written (the folder has cleaned up after itself)
   */
  public static Outcome run(Prepared prepared, Path target, String option, Progress progress, BeforeCommit beforeCommit)
      throws ConfigException, ResultsFolder.Refused, IOException {
    Request request = prepared.request();
    Scenario scenario = prepared.scenario();
    long wallStart = System.nanoTime();
    try (ResultsFolder folder = ResultsFolder.open(target, option)) {
      RunResult result;
      Outputs outputs = scenario.outputs();
      boolean rows = request.rowFiles();
      ReportOutputs report = ReportOutputs.of(scenario); // latencies.hlog, and report.html/.md with their data
      try (TurnSink turns = rows && outputs.conversationsCsv()
          ? new TurnCsvWriter(Files.newBufferedWriter(folder.file("conversations.csv"), StandardCharsets.UTF_8))
          : TurnSink.NONE;
          RequestSink requests = rows && outputs.requestsCsv()
              ? new RequestCsvWriter(Files.newBufferedWriter(folder.file("requests.csv"), StandardCharsets.UTF_8))
              : RequestSink.NONE;
          SampleSink samples = rows && (outputs.timeseriesCsv() || outputs.devicesCsv() || outputs.linksCsv()
              || outputs.tiersCsv())
              ? new SampleCsvWriter(
                  outputs.timeseriesCsv()
                      ? Files.newBufferedWriter(folder.file("timeseries.csv"), StandardCharsets.UTF_8) : null,
                  outputs.devicesCsv()
                      ? Files.newBufferedWriter(folder.file("devices.csv"), StandardCharsets.UTF_8) : null,
                  outputs.linksCsv()
                      ? Files.newBufferedWriter(folder.file("links.csv"), StandardCharsets.UTF_8) : null,
                  outputs.tiersCsv()
                      ? Files.newBufferedWriter(folder.file("tiers.csv"), StandardCharsets.UTF_8) : null)
              : SampleSink.NONE;
          TimelineSink timeline = rows && outputs.timeline()
              ? TimelineWriter.of(outputs, Files.newBufferedWriter(folder.file("timeline.json"), StandardCharsets.UTF_8))
              : TimelineSink.NONE) {
        RunSinks sinks = new RunSinks(turns, requests, samples, timeline);
        result = Simulation.run(scenario, prepared.loaded().profiles(), rows ? report.sinks(sinks) : sinks,
            progress, request.baseDir(), request.policies(), request.faults(), request.shuffleTies());
      } catch (SetupException e) {
        throw LoadedScenario.located(prepared.loaded().scenario(), e);
      }
      double wallS = (System.nanoTime() - wallStart) * 1e-9;
      Summary summary = RunSummary.of(scenario, result);
      RunHash hash = prepared.hash();
      SummaryJson.write(folder.file("summary.json"), summary);
      SummaryJson.write(folder.file("manifest.json"), Manifest.of(request.scenarioFile().toString(), request.sets(),
          String.valueOf(request.profilesDir() != null ? request.profilesDir()
              : ProfileLibrary.locate(request.scenarioFile())),
          scenario.seed(), hash, Instant.now().toString(), wallS, result.events(),
          result.metrics().counters().runRequestsArrived()));
      if (rows) {
        report.write(folder.folder(), prepared.loaded().profiles(), result);
      }
      beforeCommit.write(folder, scenario, summary);
      boolean replaced = folder.commit();
      return new Outcome(summary, result, hash, replaced, wallS);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
