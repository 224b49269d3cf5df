package dev.tokentherm.plan;

import dev.tokentherm.experiment.Executor;
import dev.tokentherm.experiment.Experiment;
import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.PointStore;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.sim.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a probe's replications in parallel on an {@link Executor}, each committed into the plan's
 * {@link PointStore} under its run hash (a rerun of the plan reads finished runs back). As soon as
 * one run ends {@code unstable} or {@code stalled} (or fails) the probe has failed: the runs not yet
 * started are skipped and those running are stopped at their next progress slice, leaving nothing
 * in the store.
 */
final class ProbeRunner {
  private final PlanFile plan;
  private final PointStore store;
  private final Executor executor;

  /** Thrown through a simulation's progress callback to stop a run whose probe has failed. */
  private static final class CalledOff extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CalledOff() {
      super("called off", null, false, false);
    }
  }

  ProbeRunner(PlanFile plan, PointStore store, Executor executor) {
    this.plan = plan;
    this.store = store;
    this.executor = executor;
  }

  Probe run(int candidate, int number, double value)
      throws dev.tokentherm.config.ConfigException, IOException, InterruptedException, ExecutionException {
    Experiment experiment = plan.experiment(candidate, value);
    List<ExperimentRun> runs = experiment.runs(experiment.baseSeeds());
    ExperimentRunner runner = new ExperimentRunner(experiment, store, executor);
    Files.createDirectories(store.root());
    AtomicBoolean failed = new AtomicBoolean();
    Progress stopWhenFailed = (simulatedNs, endNs, events) -> {
      if (failed.get()) {
        throw new CalledOff();
      }
    };
    List<Callable<RunRecord>> tasks = new ArrayList<>();
    for (ExperimentRun run : runs) {
      tasks.add(() -> {
        if (failed.get()) {
          return null;
        }
        try {
          return runner.runOne(run, stopWhenFailed);
        } catch (CalledOff e) {
          return null;
        }
      });
    }
    RunRecord[] records = new RunRecord[runs.size()];
    long start = System.nanoTime();
    executor.execute(tasks, (index, record) -> {
      records[index] = record;
      if (Verdict.stops(record)) {
        failed.set(true);
      }
    });
    double wallS = (System.nanoTime() - start) * 1e-9;
    List<RunRecord> list = Arrays.asList(records);
    return new Probe(candidate, number, value, list, Verdict.of(list, plan.plan().slo()), wallS);
  }
}
