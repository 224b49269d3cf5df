package dev.tokentherm.sim;

import dev.tokentherm.metrics.RunMetrics;
import java.util.List;

/**
 * Everything a run produced that the summary needs. Energies in J, times in ns.
 *
 * @param endNs simulated end (last event of the work, or the drain limit)
 * @param cutShort true when work was still in flight at the drain limit
 * @param unstable true when the overload detector stopped the run (the queue grew without bound)
 * @param windowStartNs effective window start
 * @param windowEndNs effective window end
 * @param windowEnergyJ GPU energy inside the window
 * @param gpuEnergyJ per-GPU energy over the run from the independent integrator
 * @param gpuPeakW per-GPU peak power
 * @param idleUnattributedJ idle energy of replicas holding no conversation, of GPUs in no
 *     deployment, and of iterations cut by the end of the run
 * @param idleTotalJ all energy spent while no iteration ran (attributed or not)
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
    long prefixPinnedBlocks) {

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
