package dev.tokentherm.experiment;

import java.util.Map;

/**
 * What is kept of a finished run: its hash, how it ended and its summary cells (never its
 * per-request data).
 *
 * @param runHash the folder name under points/; null when the run could not start
 * @param status summary.json's run.status, or "error"
 * @param reused whether the run was committed before (a resumed sweep) and not run again
 * @param wallS wall seconds of the simulation (0 when reused)
 * @param cells {@link SummaryCells} of its summary.json; empty on error
 * @param error the one-line reason of an error, else null
 */
public record RunRecord(ExperimentRun run, String runHash, String status, boolean reused, double wallS,
    Map<String, String> cells, String error) {
  public static final String ERROR = "error";

  public static RunRecord failed(ExperimentRun run, String runHash, String message) {
    return new RunRecord(run, runHash, ERROR, false, 0, Map.of(), message);
  }

  public boolean ok() {
    return error == null;
  }
}
