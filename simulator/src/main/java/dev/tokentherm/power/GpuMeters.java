package dev.tokentherm.power;

/**
 * Integrates each GPU's power over time, exactly over the nanosecond clock: every change of a
 * GPU's power closes the interval at the old power. Independent of the energy attribution code, so
 * the two can check each other. Also keeps the cluster total so that the energy up to any instant
 * is O(1) to read (window boundaries).
 */
public final class GpuMeters {
  private final double[] powerW;
  private final long[] lastNs;
  private final double[] energyJ;
  private final double[] peakW;
  private double totalPowerW;
  private double totalEnergyJ;
  private long totalLastNs;

  public GpuMeters(double[] initialPowerW) {
    int n = initialPowerW.length;
    powerW = initialPowerW.clone();
    lastNs = new long[n];
    energyJ = new double[n];
    peakW = initialPowerW.clone();
    for (double p : initialPowerW) {
      totalPowerW += p;
    }
  }

  /** Energy of p watts over ns nanoseconds; the one formula every integral uses. */
  public static double joules(double powerW, long ns) {
    return powerW * (ns * 1e-9);
  }

  public int gpus() {
    return powerW.length;
  }

  /** The GPU draws {@code watts} from {@code nowNs} on. */
  public void set(int gpu, long nowNs, double watts) {
    energyJ[gpu] += joules(powerW[gpu], nowNs - lastNs[gpu]);
    lastNs[gpu] = nowNs;
    advanceTotal(nowNs);
    totalPowerW += watts - powerW[gpu];
    powerW[gpu] = watts;
    if (watts > peakW[gpu]) {
      peakW[gpu] = watts;
    }
  }

  /** Energy of one GPU from time 0 to {@code nowNs} (≥ its last change). */
  public double energyJ(int gpu, long nowNs) {
    return energyJ[gpu] + joules(powerW[gpu], nowNs - lastNs[gpu]);
  }

  /** Energy of all GPUs from time 0 to {@code nowNs}, from the running total. */
  public double totalEnergyJ(long nowNs) {
    advanceTotal(nowNs);
    return totalEnergyJ;
  }

  public double peakW(int gpu) {
    return peakW[gpu];
  }

  public double powerW(int gpu) {
    return powerW[gpu];
  }

  private void advanceTotal(long nowNs) {
    totalEnergyJ += joules(totalPowerW, nowNs - totalLastNs);
    totalLastNs = nowNs;
  }
}
