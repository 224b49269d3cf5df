package dev.tokentherm.plan;

import dev.tokentherm.experiment.RunRecord;
import java.util.List;

/**
 * One probe: a candidate's runs at one value of the searched axis, one per replication.
 *
 * @param number 1, 2, … in the order the candidate's searches made them
 * @param runs by replication; null for a run called off after another ended unstable or stalled
 * @param wallS wall seconds of the probe (its runs in parallel)
 */
public record Probe(int candidate, int number, double value, List<RunRecord> runs, Verdict verdict, double wallS) {
  /** Runs read back from an earlier plan's points rather than run. */
  public int reused() {
    int n = 0;
    for (RunRecord r : runs) {
      n += r != null && r.reused() ? 1 : 0;
    }
    return n;
  }
}
