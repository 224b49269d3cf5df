package dev.tokentherm.results;

import java.util.List;
import java.util.Map;

/**
 * summary.json as records: one record per block, components named after the keys (camelCase for
 * snake_case, in the file's key order). A {@code double} that is not a number (NaN) is written as
 * {@code null}; a component marked {@link IfPresent} is left out of the file when it is null.
 * {@link SummaryJson} writes and reads it; {@link ResultsSchema} derives schemas/summary.schema.json.
 */
public record Summary(
    String scenario,
    long seed,
    Window window,
    Requests requests,
    Latency latency,
    Throughput throughput,
    Little little,
    Slo slo,
    Goodput goodput,
    Energy energy,
    Power power,
    Kv kv,
    @IfPresent Podcast podcast,
    @IfPresent Probe probe,
    Run run,
    Map<String, Deployment> byDeployment,
    Thermal thermal,
    @IfPresent List<LinkClass> links) {

  /**
   * One class of the run's links (host-link, dram, nvme-read, nvme-write, nic, pool, fabric; the
   * block is there when the run has KV tiers or writes links.csv), over the whole run: its links,
   * their summed capacity, B/s (null: none is bounded), the bytes they moved, the mean utilisation
   * (the bounded links' bytes over their summed capacity × the simulated seconds), the same ratio's
   * peak over the sample intervals (outputs.sample_interval_s), and the highest any one of its links
   * reached in an interval (null: none is bounded).
   */
  public record LinkClass(String linkClass, int links, double capacityBytesPerS, double bytes,
      double meanUtilizationFrac, double peakUtilizationFrac, double peakLinkUtilizationFrac) {}

  /** The measurement window (s) and whether the run was in steady state over it. */
  public record Window(double startS, double endS, double lengthS, boolean steadyState,
      SteadyStateChecks steadyStateChecks) {}

  /** The figures the steady-state verdict compares, first third of the window against the last. */
  public record SteadyStateChecks(double arrivalRatePerS, double completionRatePerS, double waitingFirstThird,
      double waitingLastThird, double kvOccupancyFirstThird, double kvOccupancyLastThird,
      double evictedBlocksPerSFirstThird, double evictedBlocksPerSLastThird, List<String> notSteadyBecause) {}

  /** Requests that arrived in the window, by how they ended ({@code failed}: on a replica that shut down). */
  public record Requests(long arrived, long completed, long rejected, long timedOut, long unfinished,
      long preemptions, long failed) {}

  /** Latency percentiles of the window's requests, ms. */
  public record Latency(Percentiles ttftMs, Percentiles tpotMs, Percentiles tbtMs, Percentiles maxTbtMs,
      Percentiles e2eMs, Percentiles queueMs) {}

  public record Percentiles(double p50, double p90, double p99) {}

  /** Output tokens and completed requests per window second. */
  public record Throughput(double outputTokensPerS, double requestsPerS) {}

  /** Little's law: mean requests in the system against rate × mean time in it. */
  public record Little(double meanInSystem, double requestRatePerS, double meanE2eS) {}

  /** SLO targets, the share of windowed requests meeting both, and whether that meets the target. */
  public record Slo(double ttftMs, double tpotMs, double target, double attainment, boolean met) {}

  /** Requests meeting the SLO per window second, and completed requests that arrived in the window. */
  public record Goodput(double requestsPerS, double completedRequestsPerS) {}

  /**
   * The window's energy, J; the host/IT split when the run knows its nodes: {@code fanJ}, the fans'
   * energy above their min speed (host_idle_w holds the rest), is in {@code itJ}.
   */
  public record Energy(double gpuJ, double jPerOutputToken, double facilityJ, @IfPresent Double unusedGpuJ,
      @IfPresent Integer unusedGpus, @IfPresent Double hostJ, @IfPresent Double itJ,
      @IfPresent Double facilityItJ, @IfPresent Double fanJ) {}

  /** Mean GPU power over the window and the highest any GPU drew, W; seconds of replica iterations at min_mhz still over the power cap or the rack budget's share (whole run). */
  public record Power(double gpuMeanW, double gpuPeakW, double capUnmetS) {}

  /** KV capacity by deployment and the run's KV block and prefix-cache books. */
  public record Kv(List<KvDeployment> deployments, long peakContextTokens, long blocksAllocated, long blocksFreed,
      long blocksLiveAtEnd, long blocksPeak, long evictions, long preemptions, long prefixHitTokens,
      long prefixLookupTokens, double prefixHitRatio, long swapFallbacks, List<KvTier> tiers) {}

  /**
   * One KV tier (hbm, dram, nvme, remote; cluster.kv_tiers): capacity and peak bytes held (summed
   * over its nodes; hbm's peak is not tracked here: 0), turns that found their KV in it (hits) or
   * looked in it in vain (misses), bytes copied into and out of it, seconds of loads from it
   * (requests waiting for their KV) and the energy of its copies, J (hbm: 0, the GPU meters hold it).
   * All 0 without tiers.
   */
  public record KvTier(String tier, long capacityBytes, long peakBytes, long hits, long misses, long bytesIn,
      long bytesOut, double loadS, double energyJ) {}

  /** One deployment's memory plan per GPU. */
  public record KvDeployment(String deployment, double usableGibPerGpu, double weightsGibPerGpu,
      double activationPeakGibPerGpu, double reserveGibPerGpu, double budgetGibPerGpu, double budgetGbPerGpu,
      double kvBytesPerTokenPerGpu, int blockTokens, long blocksPerGpu, long capacityTokens,
      boolean measuredBlocks) {}

  /** The podcast tables: the first podcast deployment's, and every one by deployment. */
  public record Podcast(List<Turn> phrases, Map<String, List<Turn>> byDeployment) {}

  /** The first phrase at or after a report minute; only {@code minute} and a null turn when none arrived. */
  public record Turn(double minute, @IfPresent Long conversation, @KeepNull Integer turn, @IfPresent Double startMin,
      @IfPresent Long contextTokens, @IfPresent Long prefillTokens, @IfPresent Integer outputTokens,
      @IfPresent Double ttftMs, @IfPresent Double tpotMs, @IfPresent Double activeJ, @IfPresent Double withIdleJ) {}

  /** The single-request probes, by deployment (scenario order) then context. */
  public record Probe(List<ProbeRow> rows) {}

  /** One probe: {@code status} ok with its figures, or does_not_fit with the reason. */
  public record ProbeRow(String deployment, String variant, long contextTokens, double kvGibPerGpu, String status,
      @IfPresent String reason, @IfPresent Integer outputTokens, @IfPresent Double ttftMs,
      @IfPresent Double timePerOutputTokenMs, @IfPresent Double jPerOutputToken, @IfPresent Double activeJ) {}

  /** The whole run, window or not: how it ended, its counts and its energy books. */
  public record Run(String status, boolean cutAtDrainLimit, double simulatedS, long requestsArrived,
      long requestsCompleted, long requestsRejected, long requestsTimedOut, long outputTokens, long iterations,
      int gpus, double energyGpuJ, double energyActiveJ, double energyIdleJ, double energyIdleAttributedJ,
      double energyUnattributedJ, List<String> rejectionSamples, @IfPresent String stall,
      @IfPresent String unstableReason, long requestsFailed) {}

  /**
   * One deployment's share of the top-level blocks, and its GPUs' energy; {@code gpuPeakW}: the
   * highest 1 s average power of any of its GPUs over the run (aligned seconds of simulated time), W.
   */
  public record Deployment(Requests requests, Latency latency, Throughput throughput, Slo slo, Goodput goodput,
      int gpus, double gpuJ, double gpuMeanW, double jPerOutputToken, double gpuPeakW) {}

  /**
   * The GPUs' thermal state over the whole run (thermal.RcModel, a lumped RC per GPU to its inlet
   * air; power.ClockGovernor's thermal slowdown): {@code gpuPeakC}, the highest die temperature of
   * any GPU, °C; {@code throttledS}, GPU-seconds (replica iteration seconds × the replica's GPUs) of
   * iterations whose clock a thermal reason lowered; {@code throttledByReasonS}, the same per reason,
   * with the power cap's and the rack power budget's for comparison (not in {@code throttledS});
   * {@code shutdowns}, GPUs switched off by replica shutdowns (thermal.shutdown_c reached). The
   * cooling (thermal.CoolingLoop): {@code cooling} air, liquid or none; {@code inletPeakC}, the
   * highest rack inlet, °C; {@code recirculationPeakC}, the most recirculated exhaust added to a
   * rack's inlet, °C; {@code fanSpeedPeak}, the highest fan speed of any node, a fraction of full
   * speed; {@code fansFailed}, fans stopped by fan-failure events; {@code firstThrottleS}, when
   * thermal slowdown first lowered a GPU's clock, s, and {@code firstThrottleInletC}, that GPU's
   * inlet then, °C (absent: never).
   */
  public record Thermal(double gpuPeakC, double throttledS, ThrottledByReason throttledByReasonS, long shutdowns,
      @IfPresent String cooling, @IfPresent Double inletPeakC, @IfPresent Double recirculationPeakC,
      @IfPresent Double fanSpeedPeak, @IfPresent Integer fansFailed, @IfPresent Double firstThrottleS,
      @IfPresent Double firstThrottleInletC) {}

  /** GPU-seconds of iterations whose clock each reason lowered (NVML's clock-event reason names). */
  public record ThrottledByReason(double swThermalSlowdown, double hwSlowdown, double swPowerCap,
      double rackPowerBudget) {}
}
