package dev.tokentherm.experiment;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.results.RunHash;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.sim.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs an experiment's runs on an {@link Executor}, each committed into a {@link PointStore}
 * folder named by its run hash; runs already committed there are read back, not run again.
 */
public final class ExperimentRunner {
  /** Told of each finished run (one call at a time). */
  public interface Listener {
    void finished(RunRecord record, int done, int total);

    Listener NONE = (record, done, total) -> { };
  }

  private final Experiment experiment;
  private final PointStore store;
  private final Executor executor;
  private final ProfileLibrary library;
  /** The library of each distinct set of profile assignments (most treatments have none). */
  private final ConcurrentHashMap<Map<String, List<String>>, ProfileLibrary> libraries = new ConcurrentHashMap<>();
  /** One lock per run hash: two runs that resolve to the same scenario (a repeated point) run once. */
  private final ConcurrentHashMap<String, Object> hashLocks = new ConcurrentHashMap<>();

  public ExperimentRunner(Experiment experiment, PointStore store, Executor executor) {
    this.experiment = experiment;
    this.store = store;
    this.executor = executor;
    this.library = experiment.library();
  }

  /** Runs every run of the experiment. */
  public ExperimentResult runAll(Listener listener)
      throws ConfigException, IOException, InterruptedException, ExecutionException {
    return run(experiment.runs(experiment.baseSeeds()), listener);
  }

  /**
   * Runs {@code runs} (a share of the experiment's, or all of them).
   *
   * @return their records in the order of {@code runs}
   */
  public ExperimentResult run(List<ExperimentRun> runs, Listener listener)
      throws IOException, InterruptedException, ExecutionException {
    Files.createDirectories(store.root()); // once, before the threads race to create it
    List<Callable<RunRecord>> tasks = new ArrayList<>();
    for (ExperimentRun run : runs) {
      tasks.add(() -> runOne(run));
    }
    RunRecord[] records = new RunRecord[runs.size()];
    int[] done = {0};
    executor.execute(tasks, (index, record) -> {
      records[index] = record;
      listener.finished(record, ++done[0], runs.size());
    });
    return new ExperimentResult(experiment, Arrays.asList(records));
  }

  /** One run: loaded, hashed, planned and run unless committed, read back from its folder. */
  RunRecord runOne(ExperimentRun run) {
    return runOne(run, Progress.NONE);
  }

  /**
   * As {@link #runOne(ExperimentRun)}, told of the simulation's progress: a run that
   * {@code progress} stops by throwing leaves nothing in the store and rethrows (plans call off
   * the other replications of a probe that has already failed).
   */
  public RunRecord runOne(ExperimentRun run, Progress progress) {
    RunPipeline.Prepared prepared;
    try {
      Map<String, List<String>> profileSets = experiment.treatments().get(run.treatment()).profileSets();
      ProfileLibrary profiles = profileSets.isEmpty() ? library
          : libraries.computeIfAbsent(profileSets, library::withSets);
      prepared = RunPipeline.load(experiment.request(run), profiles);
    } catch (ConfigException e) {
      return RunRecord.failed(run, null, oneLine(e.getMessage()));
    }
    RunHash hash;
    try {
      hash = prepared.hash();
    } catch (IOException e) {
      return RunRecord.failed(run, null, "a data file cannot be read: " + ResultsFolder.describe(e));
    }
    String sha = hash.sha256();
    boolean reused;
    double wallS = 0;
    synchronized (hashLocks.computeIfAbsent(sha, k -> new Object())) {
      reused = store.isCommitted(hash);
      if (!reused) {
        try {
          prepared.checkPlans();
          wallS = RunPipeline.run(prepared, store.folder(sha), "point", progress,
              RunPipeline.BeforeCommit.NONE).wallS();
        } catch (ConfigException e) {
          return RunRecord.failed(run, sha, oneLine(e.getMessage()));
        } catch (ResultsFolder.Refused e) {
          return RunRecord.failed(run, sha, e.getMessage());
        } catch (IOException e) {
          return RunRecord.failed(run, sha, store.folder(sha) + ": cannot be written: " + ResultsFolder.describe(e));
        }
      }
    }
    try {
      var cells = SummaryCells.read(store.summary(sha));
      return new RunRecord(run, sha, cells.getOrDefault(SummaryCells.STATUS, ""), reused, wallS, cells, null);
    } catch (IOException e) {
      return RunRecord.failed(run, sha, store.summary(sha) + ": cannot be read: " + ResultsFolder.describe(e));
    }
  }

  private static String oneLine(String message) {
    return message.replace('\n', ' ');
  }
}
