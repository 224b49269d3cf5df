package dev.tokentherm.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.metrics.DeploymentMetrics;
import dev.tokentherm.metrics.LatencyHistogram;
import dev.tokentherm.metrics.RunCounters;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.metrics.SummaryBuilder;
import dev.tokentherm.results.JsonRecords;
import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryTable;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.Slo;
import dev.tokentherm.serving.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills summary.json's record ({@link Summary}) from a run's result, and the short table the CLI prints from it. */
public final class RunSummary {
  private RunSummary() {}

  /** summary.json of a run as a record (write it with results.SummaryJson). */
  public static Summary of(Scenario scenario, RunResult r) {
    RunMetrics m = r.metrics();
    double seconds = r.windowS();
    SteadyStateCheck.Verdict v = r.steadyState();
    Summary.Window window = new Summary.Window(r.windowStartNs() * 1e-9, r.windowEndNs() * 1e-9, seconds,
        v.steady(), new Summary.SteadyStateChecks(v.arrivalRatePerS(), v.completionRatePerS(), v.waitingFirst(),
            v.waitingLast(), v.kvOccupancyFirst(), v.kvOccupancyLast(), v.evictedBlocksPerSFirst(),
            v.evictedBlocksPerSLast(), List.copyOf(v.reasons())));
    Summary.Little little = new Summary.Little(m.meanInSystem(r.endNs()),
        seconds > 0 ? m.completedInWindow() / seconds : Double.NaN, m.meanE2eCompletedInWindowS());
    int gpus = r.gpuEnergyJ().length;
    double peak = 0;
    for (double p : r.gpuPeakW()) {
      peak = Math.max(peak, p);
    }
    Summary.Power power = new Summary.Power(seconds > 0 ? r.windowEnergyJ() / seconds / gpus : Double.NaN, peak,
        r.gpuBooks().capUnmetS());
    return new Summary(r.name(), r.seed(), window,
        requests(m.arrived(), m.completed(), m.rejected(), m.timedOut(), m.unfinished(), m.preempted(), m.failed()),
        latency(m.ttft(), m.tpot(), m.tbt(), m.maxTbt(), m.e2e(), m.queue()),
        throughput(m.windowOutputTokens(), m.completedInWindow(), seconds), little, slo(scenario.slo(), m.arrived(), m.metSlo()), goodput(m.metSlo(), m.completed(), seconds),
        energy(scenario, r), power, kv(r), podcast(m), probe(r), run(r, gpus), byDeployment(scenario, r),
        thermal(r), r.linkClasses());
  }

  /** summary.json of a run as a JSON tree. */
  public static ObjectNode build(Scenario scenario, RunResult r) {
    return JsonRecords.toTree(of(scenario, r));
  }

  /**
   * The GPUs' window energy, and the hosts' and IT energy beside them when the run knows its nodes:
   * host_j = the nodes' host_idle_w × window, fan_j = the fans above min speed over the window,
   * it_j = GPUs + hosts + fans, facility_it_j = IT × PUE;
   * unused_gpu_j = the GPUs no deployment uses (the by_deployment gpu_j plus it add up to gpu_j).
   */
  private static Summary.Energy energy(Scenario scenario, RunResult r) {
    RunMetrics m = r.metrics();
    double pue = scenario.cluster().facility().pue();
    double gpuJ = r.windowEnergyJ();
    double perToken = m.windowOutputTokens() > 0 ? gpuJ / m.windowOutputTokens() : Double.NaN;
    RunResult.EnergySplit split = r.split();
    if (split == null) {
      return new Summary.Energy(gpuJ, perToken, gpuJ * pue, null, null, null, null, null, null);
    }
    double hostJ = split.hostW() * r.windowS();
    double itJ = gpuJ + hostJ + split.fanJ();
    return new Summary.Energy(gpuJ, perToken, gpuJ * pue, split.unusedJ(), split.unusedGpus(), hostJ, itJ,
        itJ * pue, split.fanJ());
  }

  /** The thermal block: the peak, and the GPU-seconds throttled (thermal reasons; per reason, the cap's and the rack budget's too). */
  private static Summary.Thermal thermal(RunResult r) {
    double[] t = r.gpuBooks().throttledS();
    long shutdowns = r.metrics().counters().gpusShutDown();
    RunResult.Cooling c = r.gpuBooks().cooling();
    if (c == null) {
      return new Summary.Thermal(r.gpuPeakC(), t[0] + t[1], new Summary.ThrottledByReason(t[0], t[1], t[2], t[3]), shutdowns, "none",
          null, null, null, null, null, null);
    }
    return new Summary.Thermal(r.gpuPeakC(), t[0] + t[1], new Summary.ThrottledByReason(t[0], t[1], t[2], t[3]), shutdowns, c.kind(),
        c.inletPeakC(), c.recirculationPeakC(), c.fanSpeedPeak(), c.fansFailed(), finite(c.firstThrottleS()),
        finite(c.firstThrottleInletC()));
  }

  /** The value, or null (absent) when it is NaN. */
  private static Double finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Summary.Kv kv(RunResult r) {
    List<Summary.KvDeployment> deployments = new ArrayList<>();
    for (DeploymentPlan p : r.plans()) {
      deployments.add(SummaryBuilder.kv(p.spec().name(), p.kv()));
    }
    long swapFallbacks = 0; // swaps that found no room in host memory and recomputed
    for (RunResult.DeploymentBooks d : r.books()) {
      for (RunResult.ReplicaBooks b : d.replicas()) {
        swapFallbacks += b.books().swapFallbacks();
      }
    }
    return new Summary.Kv(List.copyOf(deployments), r.metrics().counters().peakContextTokens(), r.kvBlocksAllocated(),
        r.kvBlocksFreed(), r.kvBlocksLive(), r.kvBlocksPeak(), r.evictions(), r.metrics().counters().runPreemptions(),
        r.prefixHitTokens(), r.prefixLookupTokens(),
        r.prefixLookupTokens() > 0 ? (double) r.prefixHitTokens() / r.prefixLookupTokens() : Double.NaN,
        swapFallbacks, tiers(r.tiers()));
  }

  /** Each tier's figures (zeros for every tier without tiers). */
  private static List<Summary.KvTier> tiers(dev.tokentherm.kv.tier.KvTiers tiers) {
    List<Summary.KvTier> out = new ArrayList<>();
    for (int t = 0; t < dev.tokentherm.kv.tier.Tiers.COUNT; t++) {
      String name = dev.tokentherm.kv.tier.Tiers.name(t);
      if (tiers == null) {
        out.add(new Summary.KvTier(name, 0, 0, 0, 0, 0, 0, 0, 0));
      } else {
        var x = tiers.totals(t);
        out.add(new Summary.KvTier(name, x.capacityBytes(), x.peakBytes(), x.hits(), x.misses(), x.bytesIn(),
            x.bytesOut(), x.loadS(), x.energyJ()));
      }
    }
    return List.copyOf(out);
  }

  /** The podcast tables, or null when no deployment reports phrases. */
  private static Summary.Podcast podcast(RunMetrics m) {
    if (m.phrases().isEmpty()) {
      return null;
    }
    List<Summary.Turn> first = null;
    Map<String, List<Summary.Turn>> byDeployment = new LinkedHashMap<>();
    for (Map.Entry<String, Request[]> e : m.phrases().entrySet()) {
      List<Summary.Turn> rows = new ArrayList<>();
      double[] minutes = m.reportMinutes().get(e.getKey());
      for (int i = 0; i < minutes.length; i++) {
        rows.add(SummaryBuilder.turn(minutes[i], e.getValue()[i]));
      }
      if (first == null) {
        first = List.copyOf(rows); // the first podcast's table
      }
      byDeployment.put(e.getKey(), List.copyOf(rows));
    }
    return new Summary.Podcast(first, byDeployment);
  }

  /** The probe rows, or null when the scenario has no probes. */
  private static Summary.Probe probe(RunResult r) {
    if (r.metrics().probes().isEmpty()) {
      return null;
    }
    List<Summary.ProbeRow> rows = new ArrayList<>();
    for (RunMetrics.ProbeRow p : sortedProbes(r)) {
      rows.add(probeRow(p, plan(r, p.deployment())));
    }
    return new Summary.Probe(List.copyOf(rows));
  }

  private static Summary.Run run(RunResult r, int gpus) {
    RunCounters c = r.metrics().counters();
    return new Summary.Run(status(r), r.cutShort(), r.endNs() * 1e-9, c.runRequestsArrived(), c.runRequestsCompleted(),
        c.runRequestsRejected(), c.runRequestsTimedOut(), c.runOutputTokens(), c.runIterations(), gpus, r.totalGpuEnergyJ(),
        c.activeJ(), r.idleTotalJ(), c.idleSharesJ(), r.idleUnattributedJ(), List.copyOf(r.metrics().rejectionSamples()),
        r.isStalled() ? r.stalled() : null, r.unstableReason(), c.runRequestsFailed());
  }

  /** Per deployment (scenario order): the top level's latency, throughput, SLO and goodput over its requests, and its GPUs' energy. */
  private static Map<String, Summary.Deployment> byDeployment(Scenario scenario, RunResult r) {
    Map<String, Summary.Deployment> all = new LinkedHashMap<>();
    RunResult.EnergySplit split = r.split();
    double seconds = r.windowS();
    for (int d = 0; d < scenario.deployments().size(); d++) {
      DeploymentMetrics m = r.metrics().deployment(d);
      double gpuJ = split == null ? Double.NaN : split.windowJ()[d];
      int gpus = split == null ? 0 : split.gpus()[d];
      all.put(scenario.deployments().get(d).name(), new Summary.Deployment(
          requests(m.arrived(), m.completed(), m.rejected(), m.timedOut(), m.unfinished(), m.preempted(), m.failed()),
          latency(m.ttft(), m.tpot(), m.tbt(), m.maxTbt(), m.e2e(), m.queue()),
          throughput(m.windowOutputTokens(), m.completedInWindow(), seconds), slo(scenario.slo(), m.arrived(), m.metSlo()),
          goodput(m.metSlo(), m.completed(), seconds), gpus, gpuJ,
          seconds > 0 && gpus > 0 ? gpuJ / seconds / gpus : Double.NaN,
          m.windowOutputTokens() > 0 ? gpuJ / m.windowOutputTokens() : Double.NaN,
          r.gpuBooks() == null ? Double.NaN : r.gpuBooks().peakSecondW(d)));
    }
    return all;
  }

  private static Summary.Requests requests(long arrived, long completed, long rejected, long timedOut,
      long unfinished, long preempted, long failed) {
    return new Summary.Requests(arrived, completed, rejected, timedOut, unfinished, preempted, failed);
  }

  private static Summary.Latency latency(LatencyHistogram ttft, LatencyHistogram tpot, LatencyHistogram tbt,
      LatencyHistogram maxTbt, LatencyHistogram e2e, LatencyHistogram queue) {
    return new Summary.Latency(SummaryBuilder.percentiles(ttft), SummaryBuilder.percentiles(tpot),
        SummaryBuilder.percentiles(tbt), SummaryBuilder.percentiles(maxTbt), SummaryBuilder.percentiles(e2e),
        SummaryBuilder.percentiles(queue));
  }

  private static Summary.Throughput throughput(long windowOutputTokens, long completedInWindow, double seconds) {
    return new Summary.Throughput(seconds > 0 ? windowOutputTokens / seconds : Double.NaN,
        seconds > 0 ? completedInWindow / seconds : Double.NaN);
  }

  /**
   * SLO attainment against the target and whether it is met; goodput (requests meeting the SLO per
   * window second) and the set it is drawn from (requests that arrived in the window and completed,
   * at any time, per window second), whereas throughput.requests_per_s counts completions inside the window.
   */
  private static Summary.Slo slo(Slo target, long arrived, long metSlo) {
    double attainment = arrived > 0 ? (double) metSlo / arrived : Double.NaN;
    return new Summary.Slo(target.ttftMs(), target.tpotMs(), target.attainment(), attainment,
        attainment >= target.attainment());
  }

  private static Summary.Goodput goodput(long metSlo, long completed, double seconds) {
    return new Summary.Goodput(seconds > 0 ? metSlo / seconds : Double.NaN,
        seconds > 0 ? completed / seconds : Double.NaN);
  }

  /** ok, unstable (the overload detector stopped it) or stalled (a replica could admit nothing, ever). */
  public static String status(RunResult r) {
    return r.isStalled() ? "stalled" : r.unstable() ? "unstable" : "ok";
  }

  /** Probe rows by deployment (scenario order), then context. */
  private static List<RunMetrics.ProbeRow> sortedProbes(RunResult r) {
    List<String> order = new ArrayList<>();
    for (DeploymentPlan p : r.plans()) {
      order.add(p.spec().name());
    }
    List<RunMetrics.ProbeRow> rows = new ArrayList<>(r.metrics().probes());
    rows.sort(Comparator.<RunMetrics.ProbeRow>comparingInt(p -> order.indexOf(p.deployment()))
        .thenComparingLong(RunMetrics.ProbeRow::contextTokens));
    return rows;
  }

  private static DeploymentPlan plan(RunResult r, String deployment) {
    for (DeploymentPlan p : r.plans()) {
      if (p.spec().name().equals(deployment)) {
        return p;
      }
    }
    throw new IllegalStateException("no plan for " + deployment);
  }

  private static Summary.ProbeRow probeRow(RunMetrics.ProbeRow p, DeploymentPlan plan) {
    double kvGib = plan.model().heldBytesPerGpu(p.contextTokens()) / (1024.0 * 1024 * 1024);
    if (p.request() == null) {
      return new Summary.ProbeRow(p.deployment(), plan.model().variant(), p.contextTokens(), kvGib, "does_not_fit",
          p.doesNotFit(), null, null, null, null, null);
    }
    Request q = p.request();
    return new Summary.ProbeRow(p.deployment(), plan.model().variant(), p.contextTokens(), kvGib, "ok", null,
        q.outputTokens(), q.ttftNs() / 1e6, q.tpotNs() / 1e6, q.activeJ() / q.outputTokens(), q.activeJ());
  }

  /** The few lines a person reads after a run, every figure from its summary. */
  public static String table(Summary summary, RunResult r) {
    long unfinished = 0;
    for (RunResult.DeploymentBooks d : r.books()) {
      unfinished += d.requests().unfinished();
    }
    return SummaryTable.render(summary, unfinished);
  }
}
