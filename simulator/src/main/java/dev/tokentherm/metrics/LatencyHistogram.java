package dev.tokentherm.metrics;

import org.HdrHistogram.Histogram;

/**
 * Nanosecond latencies with 3 significant digits, reported as ms percentiles. Only metrics records
 * into one (its owner's events); readers elsewhere get the counts and percentiles.
 */
public final class LatencyHistogram {
  private final Histogram histogram = new Histogram(3);

  void record(long ns) {
    histogram.recordValue(Math.max(0, ns));
  }

  void record(long ns, long count) {
    if (count > 0) {
      histogram.recordValueWithCount(Math.max(0, ns), count);
    }
  }

  /** A copy of the whole distribution (latencies.hlog keeps it), values in ns. */
  public Histogram copy() {
    return histogram.copy();
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** Percentile in ms (NaN when empty); HdrHistogram reports the bucket's highest equivalent value. */
  public double percentileMs(double p) {
    if (histogram.getTotalCount() == 0) {
      return Double.NaN;
    }
    return histogram.getValueAtPercentile(p) / 1e6;
  }
}
