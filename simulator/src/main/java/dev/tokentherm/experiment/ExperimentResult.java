package dev.tokentherm.experiment;

import dev.tokentherm.results.ConfidenceInterval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An experiment's finished runs, with the across-replication mean and 95 % t-interval
 * (results.ConfidenceInterval) of every numeric summary metric per treatment, and the paired
 * differences of two treatments over the replications that share a seed.
 */
public final class ExperimentResult {
  private final Experiment experiment;
  private final List<RunRecord> records;
  private final RunRecord[][] byRun;

  public ExperimentResult(Experiment experiment, List<RunRecord> records) {
    this.experiment = experiment;
    this.records = List.copyOf(records);
    this.byRun = new RunRecord[experiment.treatments().size()][experiment.replications()];
    for (RunRecord r : records) {
      byRun[r.run().treatment()][r.run().replication()] = r;
    }
  }

  public Experiment experiment() {
    return experiment;
  }

  /** The runs' records, in the order they were asked for. */
  public List<RunRecord> records() {
    return records;
  }

  /** The record of one run, or null when it was not run (another shard's). */
  public RunRecord record(int treatment, int replication) {
    return byRun[treatment][replication];
  }

  /** Every metric any run has, in the order they first appear (run by run, in each summary's key order). */
  public List<String> metrics() {
    Set<String> keys = new LinkedHashSet<>();
    for (RunRecord r : records) {
      keys.addAll(r.cells().keySet());
    }
    keys.remove(SummaryCells.STATUS);
    return new ArrayList<>(keys);
  }

  /** A metric's value in each replication of a treatment; NaN where a run lacks it or was not run. */
  public double[] values(int treatment, String metric) {
    double[] v = new double[experiment.replications()];
    Arrays.fill(v, Double.NaN);
    for (int r = 0; r < v.length; r++) {
      RunRecord record = byRun[treatment][r];
      if (record != null) {
        v[r] = SummaryCells.value(record.cells().get(metric));
      }
    }
    return v;
  }

  /** The across-replication mean and 95 % interval of a metric for a treatment. */
  public ConfidenceInterval interval(int treatment, String metric) {
    return ConfidenceInterval.of(values(treatment, metric));
  }

  /**
   * The paired differences {@code b − a} of a metric over the replications where both ran with the
   * same seed (common random numbers); n = 0 when they share none.
   */
  public ConfidenceInterval paired(int a, int b, String metric) {
    double[] va = values(a, metric);
    double[] vb = values(b, metric);
    List<double[]> pairs = new ArrayList<>();
    for (int r = 0; r < va.length; r++) {
      RunRecord ra = byRun[a][r];
      RunRecord rb = byRun[b][r];
      if (ra != null && rb != null && ra.run().seed() == rb.run().seed()
          && !Double.isNaN(va[r]) && !Double.isNaN(vb[r])) {
        pairs.add(new double[] {va[r], vb[r]});
      }
    }
    double[] x = new double[pairs.size()];
    double[] y = new double[pairs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = pairs.get(i)[0];
      y[i] = pairs.get(i)[1];
    }
    return ConfidenceInterval.ofDifferences(x, y);
  }
}
