package dev.tokentherm.results;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of replications (runs that differ only in their seed) with a two-sided 95 % Student-t
 * interval: mean ± t(0.975, n−1)·s/√n, s the sample standard deviation. Defined once here; reports
 * group seeds with it and sweeps use it for every summary metric and for paired differences.
 *
 * @param halfWidth NaN with fewer than two values (no spread to estimate)
 */
public record ConfidenceInterval(double mean, double halfWidth, int n) {
  public static final double LEVEL = 0.95;

  /** The interval of {@code values}; NaN values are skipped (a metric a run does not have). */
  public static ConfidenceInterval of(double[] values) {
    int n = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        sum += v;
      }
    }
    if (n == 0) {
      return new ConfidenceInterval(Double.NaN, Double.NaN, 0);
    }
    double mean = sum / n;
    if (n == 1) {
      return new ConfidenceInterval(mean, Double.NaN, 1);
    }
    double squares = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        squares += (v - mean) * (v - mean);
      }
    }
    double sd = Math.sqrt(squares / (n - 1));
    double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + LEVEL / 2);
    return new ConfidenceInterval(mean, t * sd / Math.sqrt(n), n);
  }

  /** The interval of the paired differences b[i] − a[i] (common random numbers: same seed i). */
  public static ConfidenceInterval ofDifferences(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired differences need as many values on each side: " + a.length
          + " and " + b.length);
    }
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = b[i] - a[i];
    }
    return of(d);
  }

  public double low() {
    return mean - halfWidth;
  }

  public double high() {
    return mean + halfWidth;
  }
}
