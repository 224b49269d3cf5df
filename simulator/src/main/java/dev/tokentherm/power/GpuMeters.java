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

  /** Each GPU's group (a deployment, or the GPUs no deployment uses), or null: no group totals. */
  private int[] groupOf;
  private double[] groupPowerW;
  private double[] groupEnergyJ;
  private long[] groupLastNs;

  /**
   * Keeps a running total per group of GPUs as well ({@code groupOf[gpu]} in [0, groups)), so that
   * a group's energy up to any instant is O(1) to read. Call before the first {@link #set}.
   */
  public void groups(int[] groupOf, int groups) {
    this.groupOf = groupOf.clone();
    groupPowerW = new double[groups];
    groupEnergyJ = new double[groups];
    groupLastNs = new long[groups];
    for (int g = 0; g < powerW.length; g++) {
      groupPowerW[groupOf[g]] += powerW[g];
    }
  }

  public int groupCount() {
    return groupPowerW == null ? 0 : groupPowerW.length;
  }

  /** Energy of one group's GPUs from time 0 to {@code nowNs} (≥ its last change). */
  public double groupEnergyJ(int group, long nowNs) {
    return groupEnergyJ[group] + joules(groupPowerW[group], nowNs - groupLastNs[group]);
  }

  /** Every group's energy up to {@code nowNs} into {@code into}. */
  public void groupEnergiesJ(long nowNs, double[] into) {
    for (int i = 0; i < groupPowerW.length; i++) {
      into[i] = groupEnergyJ(i, nowNs);
    }
  }

  /** The GPU draws {@code watts} from {@code nowNs} on. */
  public void set(int gpu, long nowNs, double watts) {
    if (groupOf != null) {
      int g = groupOf[gpu];
      groupEnergyJ[g] += joules(groupPowerW[g], nowNs - groupLastNs[g]);
      groupLastNs[g] = nowNs;
      groupPowerW[g] += watts - powerW[gpu];
    }
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
