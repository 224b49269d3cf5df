package dev.tokentherm.power;

/**
 * Each GPU's highest 1 s average power, over aligned one-second bins of simulated time ([k, k + 1)
 * s): the bin in progress is integrated as power changes, closed when a change falls past its end
 * (the whole bins skipped meanwhile were at one power), so each change costs O(1) and memory is a
 * few numbers per GPU. The bin the run ends inside counts over the part of it the run covers, so
 * a run shorter than a second has a figure too; no bin exceeds the GPU's peak instantaneous power.
 */
public final class SecondPeaks {
  private static final long BIN_NS = 1_000_000_000L;
  private final double[] watts;
  private final long[] lastNs;
  private final long[] bin;
  /** Energy of the bin in progress up to {@code lastNs}, W·ns. */
  private final double[] binWattNs;
  /** Highest average of the closed bins, W. */
  private final double[] peakW;

  public SecondPeaks(double[] initialW) {
    int n = initialW.length;
    watts = initialW.clone();
    lastNs = new long[n];
    bin = new long[n];
    binWattNs = new double[n];
    peakW = new double[n];
  }

  /** GPU {@code gpu} draws {@code w} watts from {@code nowNs} on. */
  public void changed(int gpu, long nowNs, double w) {
    long b = bin[gpu];
    long binEndNs = (b + 1) * BIN_NS;
    if (nowNs < binEndNs) {
      binWattNs[gpu] += watts[gpu] * (double) (nowNs - lastNs[gpu]);
    } else {
      double closed = (binWattNs[gpu] + watts[gpu] * (double) (binEndNs - lastNs[gpu])) / BIN_NS;
      long now = nowNs / BIN_NS;
      double skipped = now > b + 1 ? watts[gpu] : 0; // whole bins at the old power
      peakW[gpu] = Math.max(peakW[gpu], Math.max(closed, skipped));
      bin[gpu] = now;
      binWattNs[gpu] = watts[gpu] * (double) (nowNs - now * BIN_NS);
    }
    lastNs[gpu] = nowNs;
    watts[gpu] = w;
  }

  /** The GPU's highest 1 s average power up to {@code endNs} (≥ its last change), W. */
  public double peakW(int gpu, long endNs) {
    changed(gpu, endNs, watts[gpu]); // closes the bins the run passed since the last change
    long start = bin[gpu] * BIN_NS;
    double partial = endNs > start ? binWattNs[gpu] / (endNs - start) : 0;
    return Math.max(peakW[gpu], partial);
  }
}
