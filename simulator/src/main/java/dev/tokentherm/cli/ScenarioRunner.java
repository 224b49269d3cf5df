package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.RunPipeline;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.sim.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How the gallery runs a scenario in-process into a results folder: the one seam between it and the
 * run pipeline ({@link #viaPipeline}; tests stand a failing runner in for it).
 */
@FunctionalInterface
interface ScenarioRunner {
  /**
   * Runs {@code scenario} with the --set overrides into {@code out}, as {@code tokentherm run
   * SCENARIO --out OUT --set …} does.
   *
   * @return null when the run wrote its results, else the first line of why not
   */
  String run(Path scenario, List<String> sets, Path out);

  /** Through {@link RunPipeline}, what {@code tokentherm run} calls; a stalled run counts as failed, as run's exit code says. */
  static ScenarioRunner viaPipeline() {
    return (scenario, sets, out) -> {
      try {
        RunPipeline.Outcome o = RunPipeline.run(RunPipeline.prepare(RunPipeline.Request.of(scenario, sets)), out,
            "--out", Progress.NONE, RunPipeline.BeforeCommit.NONE);
        return o.result().isStalled() ? "stalled: " + o.result().stalled() : null;
      } catch (ConfigException e) {
        return e.getMessage().lines().findFirst().orElse("");
      } catch (ResultsFolder.Refused e) {
        return e.getMessage();
      } catch (IOException e) {
        return "--out " + out + ": cannot be written: " + ResultsFolder.describe(e);
      }
    };
  }
}
