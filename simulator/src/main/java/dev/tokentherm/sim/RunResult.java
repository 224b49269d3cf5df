package dev.tokentherm.sim;

import dev.tokentherm.metrics.RunMetrics;
import java.util.List;

/**
 * Everything a run produced that the summary needs. Energies in J, times in ns.
 *
 * @param endNs simulated end (last event of the work, or the drain limit)
 * @param cutShort true when work was still in flight at the drain limit
 * @param unstable true when the overload detector stopped the run (the queue grew without bound)
 * @param stalled why a replica stalled (requests waiting that nothing could admit), null if none
 * @param windowStartNs effective window start
 * @param windowEndNs effective window end
 * @param windowEnergyJ GPU energy inside the window
 * @param gpuEnergyJ per-GPU energy over the run from the independent integrator
 * @param gpuPeakW per-GPU peak power
 * @param idleUnattributedJ idle energy of replicas holding no conversation, of GPUs in no
 *     deployment, and of iterations cut by the end of the run
 * @param idleTotalJ all energy spent while no iteration ran (attributed or not)
 * @param split the window's GPU energy by deployment, and the hosts' power
 * @param gpuBooks the energy law's second side (each GPU's power change log) and each GPU's 1 s peak
 */
public record RunResult(
    String name,
    long seed,
    long endNs,
    boolean cutShort,
    boolean unstable,
    long events,
    long windowStartNs,
    long windowEndNs,
    double windowEnergyJ,
    double[] gpuEnergyJ,
    double[] gpuPeakW,
    double idleUnattributedJ,
    double idleTotalJ,
    RunMetrics metrics,
    List<DeploymentPlan> plans,
    long kvBlocksAllocated,
    long kvBlocksFreed,
    long kvBlocksLive,
    long kvBlocksPeak,
    long evictions,
    long prefixHitTokens,
    long prefixLookupTokens,
    long prefixLiveBlocks,
    long prefixPinnedBlocks,
    String stalled,
    List<DeploymentBooks> books,
    SteadyStateCheck.Verdict steadyState,
    String unstableReason,

    EnergySplit split,
    GpuBooks gpuBooks,
    dev.tokentherm.net.Network.Books linkBooks, dev.tokentherm.kv.tier.KvTiers tiers,
    List<dev.tokentherm.results.Summary.LinkClass> linkClasses) {

  /**
   * Per GPU: its energy integrated from the power change log, apart from the meters ({@code
   * loggedJ}, J), its highest 1 s average power ({@code peakSecondW}, W), the replica it serves
   * ({@code replicaOf}, −1 for none) and its deployment ({@code deploymentOf}, the deployment count
   * for none); and per deployment, the last entry the GPUs no deployment uses, the energy no
   * conversation was charged ({@code unattributedJ}, J). {@code peakC}: each GPU's highest die
   * temperature over the run (thermal.RcModel), °C. {@code capUnmetS}: the seconds of replica
   * iterations run at min_mhz with their demand still over the power cap or the rack budget's share (power.ClockGovernor),
   * summed over replicas, whole run. {@code throttledS}: GPU-seconds of iterations whose clock a
   * reason lowered, by reason: sw_thermal_slowdown, hw_slowdown, sw_power_cap, rack_power_budget (whole run).
   * {@code cooling}: the cooling's peaks over the run (null with cooling none).
   */
  public record GpuBooks(double[] loggedJ, double[] peakSecondW, int[] replicaOf, int[] deploymentOf,
      double[] unattributedJ, double[] peakC, double capUnmetS, double[] throttledS, Cooling cooling) {
    /** The power change log's energy over deployment d's GPUs (d = deployment count: no deployment's), J. */
    public double loggedJ(int deployment) {
      double sum = 0;
      for (int g = 0; g < loggedJ.length; g++) {
        if (deploymentOf[g] == deployment) {
          sum += loggedJ[g];
        }
      }
      return sum;
    }

    /** The highest 1 s average power of any of deployment d's GPUs, W (NaN when it has none). */
    public double peakSecondW(int deployment) {
      double peak = Double.NaN;
      for (int g = 0; g < peakSecondW.length; g++) {
        if (deploymentOf[g] == deployment && !(peakSecondW[g] <= peak)) {
          peak = peakSecondW[g];
        }
      }
      return peak;
    }
  }

  /**
   * The cooling over the run (thermal.CoolingLoop): its kind, the highest rack inlet, °C, the most
   * recirculation added to one, °C, the highest fan speed, a fraction, the fans that failed, and
   * when thermal slowdown first lowered a clock, s, with that GPU's inlet then, °C (NaN: never), and
   * the GPU (−1: never).
   */
  public record Cooling(String kind, double inletPeakC, double recirculationPeakC, double fanSpeedPeak,
      int fansFailed, double firstThrottleS, double firstThrottleInletC, int firstThrottleGpu) {}

  /** The highest die temperature of any GPU over the run, °C (NaN without GPUs). */
  public double gpuPeakC() {
    double peak = Double.NaN;
    for (double c : gpuBooks.peakC()) {
      if (!(c <= peak)) {
        peak = c;
      }
    }
    return peak;
  }

  /**
   * The window's GPU energy split by who holds the GPUs: entry d is deployment d's GPUs (scenario
   * order), the last entry the GPUs no deployment uses; the entries add up to the window's GPU energy
   * (up to rounding). {@code hostW}: the nodes' host power (CPUs, fans, NICs) besides their GPUs, W.
   */
  public record EnergySplit(double[] windowJ, int[] gpus, double hostW, int nodes, double fanJ) {
    public int deployments() {
      return windowJ.length - 1;
    }

    public double unusedJ() {
      return windowJ[windowJ.length - 1];
    }

    public int unusedGpus() {
      return gpus[gpus.length - 1];
    }
  }

  /** A deployment's request books and its replicas' KV, token and prefill books (the checks' input). */
  public record DeploymentBooks(String deployment, dev.tokentherm.serving.Fleet.Books requests,
      List<ReplicaBooks> replicas) {}

  /** A replica's books, with the blocks its live conversations' segments hold as the fleet counted them. */
  public record ReplicaBooks(int replica, long segmentBlocks, dev.tokentherm.serving.Replica.Books books) {}

  /** True when a replica stalled and the run was stopped (see {@link #stalled}). */
  public boolean isStalled() {
    return stalled != null;
  }

  public double totalGpuEnergyJ() {
    double sum = 0;
    for (double e : gpuEnergyJ) {
      sum += e;
    }
    return sum;
  }

  public double windowS() {
    return (windowEndNs - windowStartNs) * 1e-9;
  }
}
