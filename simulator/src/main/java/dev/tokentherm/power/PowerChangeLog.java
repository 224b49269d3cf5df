package dev.tokentherm.power;

/**
 * The energy law's second side: every power change of every GPU is also reported here, and
 * integrated on its own, apart from {@link GpuMeters}: watt-nanoseconds summed with Kahan
 * compensation, converted to joules only when read. Bounded memory: per GPU its power, the time of
 * its last change and the compensated sum; no change is stored.
 */
public final class PowerChangeLog {
  private final double[] watts;
  private final long[] sinceNs;
  private final double[] wattNs;
  private final double[] compensation;
  private long changes;

  public PowerChangeLog(double[] initialW) {
    watts = initialW.clone();
    sinceNs = new long[initialW.length];
    wattNs = new double[initialW.length];
    compensation = new double[initialW.length];
  }

  /** GPU {@code gpu} draws {@code w} watts from {@code nowNs} on (≥ its last change). */
  public void changed(int gpu, long nowNs, double w) {
    add(gpu, watts[gpu] * (double) (nowNs - sinceNs[gpu]));
    sinceNs[gpu] = nowNs;
    watts[gpu] = w;
    changes++;
  }

  /** The GPU's energy from time 0 to {@code nowNs} (≥ its last change), J. */
  public double energyJ(int gpu, long nowNs) {
    double pending = watts[gpu] * (double) (nowNs - sinceNs[gpu]);
    return (wattNs[gpu] + (pending - compensation[gpu])) * 1e-9;
  }

  /** Power changes reported so far. */
  public long changes() {
    return changes;
  }

  private void add(int gpu, double term) {
    double y = term - compensation[gpu];
    double t = wattNs[gpu] + y;
    compensation[gpu] = (t - wattNs[gpu]) - y;
    wattNs[gpu] = t;
  }
}
