package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.metrics.ActivitySpan;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.power.GpuMeters;

/**
 * The GPU energy at the measure window's edges — the cluster's and each GPU group's (a deployment,
 * or the GPUs no deployment uses), read at the same instant — and the window's energy split by
 * group for the summary's {@code by_deployment}.
 */
final class WindowEnergy {
  private final Engine engine;
  private final GpuMeters meters;
  /** The cluster's GPU energy at the window's start and end, J (NaN until reached). */
  private final double[] clusterJ = {Double.NaN, Double.NaN};
  /** Every group's energy at the window's start and end, J (null until reached). */
  private final double[][] groupJ = new double[2][];

  WindowEnergy(Engine engine, GpuMeters meters) {
    this.engine = engine;
    this.meters = meters;
  }

  /** Schedules reading the energy at the window's start ({@code edge} 0) or end (1), at {@code atNs}. */
  void recordAt(long atNs, int edge) {
    engine.schedule(atNs, Phase.SAMPLE, edge, (e, arg) -> {
      clusterJ[edge] = meters.totalEnergyJ(e.now());
      groupJ[edge] = new double[meters.groupCount()]; // and each group's, at the same instant
      meters.groupEnergiesJ(e.now(), groupJ[edge]);
    }, 0);
  }

  /** The cluster's GPU energy at a window edge, or at {@code endNs} when the run ended before it, J. */
  double clusterJ(int edge, long endNs) {
    return Double.isNaN(clusterJ[edge]) ? meters.totalEnergyJ(endNs) : clusterJ[edge];
  }

  /**
   * The window's GPU energy by group over the same window as the cluster's: the measure window's
   * (edges not reached read at {@code endNs}), or without one, first arrival to last completion.
   */
  RunResult.EnergySplit split(boolean measured, RunMetrics metrics, long endNs, int[] groupOf, double hostW,
      int nodeCount, double fanJ) {
    int groups = meters.groupCount();
    double[] windowJ = new double[groups];
    if (measured) {
      double[] atEnd = new double[groups];
      meters.groupEnergiesJ(endNs, atEnd);
      double[] start = groupJ[0] != null ? groupJ[0] : atEnd;
      double[] end = groupJ[1] != null ? groupJ[1] : atEnd;
      for (int i = 0; i < groups; i++) {
        windowJ[i] = end[i] - start[i];
      }
    } else {
      ActivitySpan span = metrics.activity();
      for (int i = 0; i < groups; i++) {
        windowJ[i] = span.groupEnergyAtLastCompletionJ(i) - span.groupEnergyAtFirstArrivalJ(i);
      }
    }
    int[] gpus = new int[groups];
    for (int g : groupOf) {
      gpus[g]++;
    }
    return new RunResult.EnergySplit(windowJ, gpus, hostW, nodeCount, fanJ);
  }
}
