package dev.tokentherm.metrics;

import dev.tokentherm.power.GpuMeters;

/**
 * The run's span of activity, first arrival to last completion, and the GPU energy at each end —
 * the cluster's and each GPU group's (see {@link GpuMeters#groups}), read at the same instant: the
 * measure window of a scenario that sets none. Only {@link RunMetrics} moves its ends.
 */
public final class ActivitySpan {
  private final GpuMeters meters;
  private long firstArrivalNs = -1;
  private long lastCompletionNs = -1;
  private double energyAtFirstArrivalJ;
  private double energyAtLastCompletionJ;
  /** Each group's energy at the first arrival (null until then) and at the last completion (zeros until then). */
  private double[] groupEnergyAtFirstArrivalJ;
  private final double[] groupEnergyAtLastCompletionJ;

  ActivitySpan(GpuMeters meters) {
    this.meters = meters;
    this.groupEnergyAtLastCompletionJ = new double[meters.groupCount()];
  }

  /** A request arrived at {@code nowNs}: the first one opens the span. */
  void arrival(long nowNs) {
    if (firstArrivalNs >= 0) {
      return;
    }
    firstArrivalNs = nowNs;
    energyAtFirstArrivalJ = meters.totalEnergyJ(nowNs);
    if (meters.groupCount() > 0) {
      groupEnergyAtFirstArrivalJ = new double[meters.groupCount()];
      meters.groupEnergiesJ(nowNs, groupEnergyAtFirstArrivalJ);
    }
  }

  /** A request completed at {@code nowNs}: the span reaches it (the arrays are reused, no allocation). */
  void completion(long nowNs) {
    lastCompletionNs = nowNs;
    energyAtLastCompletionJ = meters.totalEnergyJ(nowNs);
    if (groupEnergyAtLastCompletionJ.length > 0) {
      meters.groupEnergiesJ(nowNs, groupEnergyAtLastCompletionJ);
    }
  }

  /** When the first request arrived, or -1 when none did. */
  public long firstArrivalNs() {
    return firstArrivalNs;
  }

  /** When the last request completed, or -1 when none did. */
  public long lastCompletionNs() {
    return lastCompletionNs;
  }

  /** The cluster's GPU energy at the first arrival, J (0 when none). */
  public double energyAtFirstArrivalJ() {
    return energyAtFirstArrivalJ;
  }

  /** The cluster's GPU energy at the last completion, J (0 when none). */
  public double energyAtLastCompletionJ() {
    return energyAtLastCompletionJ;
  }

  /** GPU group {@code group}'s energy at the first arrival, J (0 when none arrived). */
  public double groupEnergyAtFirstArrivalJ(int group) {
    return groupEnergyAtFirstArrivalJ != null ? groupEnergyAtFirstArrivalJ[group] : 0;
  }

  /** GPU group {@code group}'s energy at the last completion, J (0 when none completed). */
  public double groupEnergyAtLastCompletionJ(int group) {
    return groupEnergyAtLastCompletionJ[group];
  }
}
