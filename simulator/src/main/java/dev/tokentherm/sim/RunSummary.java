package dev.tokentherm.sim;

import static dev.tokentherm.metrics.SummaryBuilder.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.metrics.Num;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.metrics.SummaryBuilder;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.serving.Request;
import java.util.Locale;
import java.util.Map;

/** summary.json of a run, and the short table the CLI prints. */
public final class RunSummary {
  private RunSummary() {}

  public static ObjectNode build(Scenario scenario, RunResult r) {
    RunMetrics m = r.metrics();
    ObjectNode root = SummaryBuilder.object();
    root.put("scenario", r.name());
    root.put("seed", r.seed());

    ObjectNode window = root.putObject("window");
    put(window, "start_s", r.windowStartNs() * 1e-9);
    put(window, "end_s", r.windowEndNs() * 1e-9);
    put(window, "length_s", r.windowS());

    requestsAndLatency(root, m.arrived, m.completed, m.rejected, m.timedOut, m.unfinished(), m.preempted, m.ttft,
        m.tpot, m.tbt, m.maxTbt, m.e2e, m.queue);

    double seconds = r.windowS();
    ObjectNode throughput = root.putObject("throughput");
    put(throughput, "output_tokens_per_s", seconds > 0 ? m.windowOutputTokens / seconds : Double.NaN);
    put(throughput, "requests_per_s", seconds > 0 ? m.completedInWindow / seconds : Double.NaN);

    ObjectNode little = root.putObject("little");
    put(little, "mean_in_system", m.meanInSystem(r.endNs()));
    put(little, "request_rate_per_s", seconds > 0 ? m.completedInWindow / seconds : Double.NaN);
    put(little, "mean_e2e_s", m.meanE2eCompletedInWindowS());

    sloAndGoodput(root, scenario.slo(), m.arrived, m.metSlo, m.completed, seconds);

    ObjectNode energy = root.putObject("energy");
    put(energy, "gpu_j", r.windowEnergyJ());
    put(energy, "j_per_output_token", m.windowOutputTokens > 0 ? r.windowEnergyJ() / m.windowOutputTokens : Double.NaN);
    put(energy, "facility_j", r.windowEnergyJ() * scenario.cluster().facility().pue());

    ObjectNode power = root.putObject("power");
    int gpus = r.gpuEnergyJ().length;
    put(power, "gpu_mean_w", seconds > 0 ? r.windowEnergyJ() / seconds / gpus : Double.NaN);
    double peak = 0;
    for (double p : r.gpuPeakW()) {
      peak = Math.max(peak, p);
    }
    put(power, "gpu_peak_w", peak);

    ObjectNode kv = root.putObject("kv");
    ArrayNode deployments = kv.putArray("deployments");
    for (DeploymentPlan p : r.plans()) {
      deployments.add(SummaryBuilder.kv(p.spec().name(), p.kv()));
    }
    kv.put("peak_context_tokens", m.peakContextTokens);
    kv.put("blocks_allocated", r.kvBlocksAllocated());
    kv.put("blocks_freed", r.kvBlocksFreed());
    kv.put("blocks_live_at_end", r.kvBlocksLive());
    kv.put("blocks_peak", r.kvBlocksPeak());
    kv.put("evictions", r.evictions());
    kv.put("preemptions", m.runPreemptions);
    kv.put("prefix_hit_tokens", r.prefixHitTokens());
    kv.put("prefix_lookup_tokens", r.prefixLookupTokens());
    put(kv, "prefix_hit_ratio", r.prefixLookupTokens() > 0 ? (double) r.prefixHitTokens() / r.prefixLookupTokens() : Double.NaN);
    long swapFallbacks = 0;
    for (RunResult.DeploymentBooks d : r.books()) {
      for (RunResult.ReplicaBooks b : d.replicas()) {
        swapFallbacks += b.books().swapFallbacks();
      }
    }
    kv.put("swap_fallbacks", swapFallbacks); // swaps that found no room in host memory and recomputed

    if (!m.phrases().isEmpty()) {
      ObjectNode podcast = root.putObject("podcast");
      ObjectNode byDeployment = SummaryBuilder.object();
      for (Map.Entry<String, Request[]> e : m.phrases().entrySet()) {
        ArrayNode rows = SummaryBuilder.array();
        double[] minutes = m.reportMinutes().get(e.getKey());
        for (int i = 0; i < minutes.length; i++) {
          rows.add(SummaryBuilder.turn(minutes[i], e.getValue()[i]));
        }
        if (!podcast.has("phrases")) {
          podcast.set("phrases", rows); // the first podcast's table
        }
        byDeployment.set(e.getKey(), rows);
      }
      podcast.set("by_deployment", byDeployment);
    }
    if (!m.probes().isEmpty()) {
      ArrayNode rows = root.putObject("probe").putArray("rows");
      for (RunMetrics.ProbeRow p : sortedProbes(r)) {
        rows.add(probeRow(p, plan(r, p.deployment())));
      }
    }

    ObjectNode run = root.putObject("run");
    run.put("status", status(r));
    run.put("cut_at_drain_limit", r.cutShort());
    put(run, "simulated_s", r.endNs() * 1e-9);
    run.put("requests_arrived", m.runRequestsArrived);
    run.put("requests_completed", m.runRequestsCompleted);
    run.put("requests_rejected", m.runRequestsRejected);
    run.put("requests_timed_out", m.runRequestsTimedOut);
    run.put("output_tokens", m.runOutputTokens);
    run.put("iterations", m.runIterations);
    run.put("gpus", gpus);
    put(run, "energy_gpu_j", r.totalGpuEnergyJ());
    put(run, "energy_active_j", m.activeJ);
    put(run, "energy_idle_j", r.idleTotalJ());
    put(run, "energy_idle_attributed_j", m.idleSharesJ);
    put(run, "energy_unattributed_j", r.idleUnattributedJ());
    ArrayNode rejections = run.putArray("rejection_samples");
    for (String s : m.rejectionSamples()) {
      rejections.add(s);
    }
    if (r.isStalled()) {
      run.put("stall", r.stalled());
    }
    if (r.unstableReason() != null) {
      run.put("unstable_reason", r.unstableReason());
    }
    SteadyStateCheck.Verdict v = r.steadyState();
    window.put("steady_state", v.steady());
    ObjectNode checks = window.putObject("steady_state_checks");
    put(checks, "arrival_rate_per_s", v.arrivalRatePerS());
    put(checks, "completion_rate_per_s", v.completionRatePerS());
    put(checks, "waiting_first_third", v.waitingFirst());
    put(checks, "waiting_last_third", v.waitingLast());
    put(checks, "kv_occupancy_first_third", v.kvOccupancyFirst());
    put(checks, "kv_occupancy_last_third", v.kvOccupancyLast());
    put(checks, "evicted_blocks_per_s_first_third", v.evictedBlocksPerSFirst());
    put(checks, "evicted_blocks_per_s_last_third", v.evictedBlocksPerSLast());
    ArrayNode why = checks.putArray("not_steady_because");
    for (String reason : v.reasons()) {
      why.add(reason);
    }
    energySplit(scenario, r, energy);
    root.set("by_deployment", byDeployment(scenario, r));
    return root;
  }

  /**
   * Host power and IT energy beside the GPUs' (appended to {@code energy}): host_j = the nodes'
   * host_idle_w × window, it_j = GPUs + hosts, facility_it_j = IT × PUE; unused_gpu_j = the GPUs
   * no deployment uses (the by_deployment gpu_j plus it add up to gpu_j).
   */
  private static void energySplit(Scenario scenario, RunResult r, ObjectNode energy) {
    RunResult.EnergySplit split = r.split();
    if (split == null) {
      return;
    }
    double hostJ = split.hostW() * r.windowS();
    put(energy, "unused_gpu_j", split.unusedJ());
    energy.put("unused_gpus", split.unusedGpus());
    put(energy, "host_j", hostJ);
    put(energy, "it_j", r.windowEnergyJ() + hostJ);
    put(energy, "facility_it_j", (r.windowEnergyJ() + hostJ) * scenario.cluster().facility().pue());
  }

  /** Per deployment (scenario order): the top level's latency, throughput, SLO and goodput over its requests, and its GPUs' energy. */
  private static ObjectNode byDeployment(Scenario scenario, RunResult r) {
    ObjectNode all = SummaryBuilder.object();
    RunResult.EnergySplit split = r.split();
    double seconds = r.windowS();
    for (int d = 0; d < scenario.deployments().size(); d++) {
      dev.tokentherm.metrics.DeploymentMetrics m = r.metrics().deployment(d);
      ObjectNode n = all.putObject(scenario.deployments().get(d).name());
      requestsAndLatency(n, m.arrived, m.completed, m.rejected, m.timedOut, m.unfinished, m.preempted, m.ttft,
          m.tpot, m.tbt, m.maxTbt, m.e2e, m.queue);
      ObjectNode throughput = n.putObject("throughput");
      put(throughput, "output_tokens_per_s", seconds > 0 ? m.windowOutputTokens / seconds : Double.NaN);
      put(throughput, "requests_per_s", seconds > 0 ? m.completedInWindow / seconds : Double.NaN);
      sloAndGoodput(n, scenario.slo(), m.arrived, m.metSlo, m.completed, seconds);
      double gpuJ = split == null ? Double.NaN : split.windowJ()[d];
      int gpus = split == null ? 0 : split.gpus()[d];
      n.put("gpus", gpus);
      put(n, "gpu_j", gpuJ);
      put(n, "gpu_mean_w", seconds > 0 && gpus > 0 ? gpuJ / seconds / gpus : Double.NaN);
      put(n, "j_per_output_token", m.windowOutputTokens > 0 ? gpuJ / m.windowOutputTokens : Double.NaN);
    }
    return all;
  }

  /** The {@code requests} counts and {@code latency} percentiles of a set of windowed requests. */
  private static void requestsAndLatency(ObjectNode parent, long arrived, long completed, long rejected, long timedOut,
      long unfinished, long preempted, dev.tokentherm.metrics.LatencyHistogram ttft,
      dev.tokentherm.metrics.LatencyHistogram tpot, dev.tokentherm.metrics.LatencyHistogram tbt,
      dev.tokentherm.metrics.LatencyHistogram maxTbt, dev.tokentherm.metrics.LatencyHistogram e2e,
      dev.tokentherm.metrics.LatencyHistogram queue) {
    ObjectNode requests = parent.putObject("requests");
    requests.put("arrived", arrived);
    requests.put("completed", completed);
    requests.put("rejected", rejected);
    requests.put("timed_out", timedOut);
    requests.put("unfinished", unfinished);
    requests.put("preemptions", preempted);
    ObjectNode latency = parent.putObject("latency");
    latency.set("ttft_ms", SummaryBuilder.percentiles(ttft));
    latency.set("tpot_ms", SummaryBuilder.percentiles(tpot));
    latency.set("tbt_ms", SummaryBuilder.percentiles(tbt));
    latency.set("max_tbt_ms", SummaryBuilder.percentiles(maxTbt));
    latency.set("e2e_ms", SummaryBuilder.percentiles(e2e));
    latency.set("queue_ms", SummaryBuilder.percentiles(queue));
  }

  /**
   * The {@code slo} and {@code goodput} objects of a set of windowed requests: attainment against
   * the target and whether it is met; goodput (requests meeting the SLO per window second) and the
   * set it is drawn from (requests that arrived in the window and completed, at any time, per
   * window second), whereas throughput.requests_per_s counts completions inside the window.
   */
  private static void sloAndGoodput(ObjectNode parent, dev.tokentherm.scenario.Slo target, long arrived, long metSlo,
      long completed, double seconds) {
    ObjectNode slo = parent.putObject("slo");
    put(slo, "ttft_ms", target.ttftMs());
    put(slo, "tpot_ms", target.tpotMs());
    put(slo, "target", target.attainment());
    double attainment = arrived > 0 ? (double) metSlo / arrived : Double.NaN;
    put(slo, "attainment", attainment);
    slo.put("met", attainment >= target.attainment());
    ObjectNode goodput = parent.putObject("goodput");
    put(goodput, "requests_per_s", seconds > 0 ? metSlo / seconds : Double.NaN);
    put(goodput, "completed_requests_per_s", seconds > 0 ? completed / seconds : Double.NaN);
  }

  /** ok, unstable (the overload detector stopped it) or stalled (a replica could admit nothing, ever). */
  public static String status(RunResult r) {
    return r.isStalled() ? "stalled" : r.unstable() ? "unstable" : "ok";
  }

  /** Probe rows by deployment (scenario order), then context. */
  private static java.util.List<RunMetrics.ProbeRow> sortedProbes(RunResult r) {
    java.util.List<String> order = new java.util.ArrayList<>();
    for (DeploymentPlan p : r.plans()) {
      order.add(p.spec().name());
    }
    java.util.List<RunMetrics.ProbeRow> rows = new java.util.ArrayList<>(r.metrics().probes());
    rows.sort(java.util.Comparator.<RunMetrics.ProbeRow>comparingInt(p -> order.indexOf(p.deployment()))
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

  private static ObjectNode probeRow(RunMetrics.ProbeRow p, DeploymentPlan plan) {
    ObjectNode n = SummaryBuilder.object();
    n.put("deployment", p.deployment());
    n.put("variant", plan.model().variant());
    n.put("context_tokens", p.contextTokens());
    put(n, "kv_gib_per_gpu", plan.model().heldBytesPerGpu(p.contextTokens()) / (1024.0 * 1024 * 1024));
    if (p.request() == null) {
      n.put("status", "does_not_fit");
      n.put("reason", p.doesNotFit());
      return n;
    }
    Request q = p.request();
    n.put("status", "ok");
    n.put("output_tokens", q.outputTokens());
    put(n, "ttft_ms", q.ttftNs() / 1e6);
    put(n, "time_per_output_token_ms", q.tpotNs() / 1e6);
    put(n, "j_per_output_token", q.activeJ() / q.outputTokens());
    put(n, "active_j", q.activeJ());
    return n;
  }

  /** The few lines a person reads after a run. */
  public static String table(RunResult r) {
    RunMetrics m = r.metrics();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %.1f s simulated, %d requests completed, %d rejected, %d output tokens%n",
        r.name(), r.endNs() * 1e-9, m.runRequestsCompleted, m.runRequestsRejected, m.runOutputTokens));
    b.append(String.format(Locale.ROOT, "window %.0f–%.0f s: TTFT p50 %s ms p99 %s ms, TPOT p50 %s ms p99 %s ms, %s tok/s, %s J/token%n",
        r.windowStartNs() * 1e-9, r.windowEndNs() * 1e-9, Num.fixed(m.ttft.percentileMs(50), 1),
        Num.fixed(m.ttft.percentileMs(99), 1), Num.fixed(m.tpot.percentileMs(50), 2),
        Num.fixed(m.tpot.percentileMs(99), 2),
        Num.fixed(r.windowS() > 0 ? m.windowOutputTokens / r.windowS() : Double.NaN, 1),
        Num.fixed(m.windowOutputTokens > 0 ? r.windowEnergyJ() / m.windowOutputTokens : Double.NaN, 3)));
    if (r.isStalled()) {
      b.append("stalled: ").append(r.stalled()).append('\n');
    }
    if (r.unstable()) {
      b.append(String.format(Locale.ROOT, "unstable: stopped at %.1f s, %s%n", r.endNs() * 1e-9, r.unstableReason()));
    }
    var slo = m.slo();
    if (m.arrived > 0) {
      double attainment = (double) m.metSlo / m.arrived;
      b.append(String.format(Locale.ROOT, "SLO %s: %s %% of %d windowed requests within TTFT ≤ %s ms and TPOT ≤ %s ms"
          + " (target %s %%)%n", attainment >= slo.attainment() ? "met" : "missed", Num.fixed(100 * attainment, 1),
          m.arrived, Num.fixed(slo.ttftMs(), 0), Num.fixed(slo.tpotMs(), 0), Num.fixed(100 * slo.attainment(), 1)));
    }
    long unfinished = 0;
    for (RunResult.DeploymentBooks d : r.books()) {
      unfinished += d.requests().unfinished();
    }
    if (unfinished > 0 || r.cutShort()) {
      b.append(String.format(Locale.ROOT, "unfinished: %d requests at the end, %d of them in the window%s%n", unfinished,
          m.unfinished(), r.unstable() || r.isStalled() ? " (the run was stopped)"
              : r.cutShort() ? " (cut at the drain limit: raise max_drain_s or lower the load)" : ""));
    }
    SteadyStateCheck.Verdict v = r.steadyState();
    b.append(v.steady() ? "window: steady state\n"
        : "window: not in steady state: " + String.join("; ", v.reasons()) + "\n");
    for (DeploymentPlan p : r.plans()) {
      b.append(String.format(Locale.ROOT, "%s: KV budget %.2f GB per GPU (%d blocks of %d tokens, %d tokens per replica), peak context %d tokens%n",
          p.spec().name(), p.kv().kvBudgetBytes() / 1e9, p.kv().blocks(), p.kv().blockTokens(),
          p.kv().tokens(), m.peakContextTokens));
    }
    for (Map.Entry<String, Request[]> e : m.phrases().entrySet()) {
      Request[] phrases = e.getValue();
      if (m.phrases().size() > 1) {
        b.append(e.getKey()).append(":\n");
      }
      b.append(String.format(Locale.ROOT, "%7s %6s %9s %10s %10s %12s %13s%n", "minute", "turn", "context",
          "TTFT ms", "TPOT ms", "active J", "with idle J"));
      double[] minutes = m.reportMinutes().get(e.getKey());
      for (int i = 0; i < phrases.length; i++) {
        Request p = phrases[i];
        if (p == null) {
          b.append(String.format(Locale.ROOT, "%7s %6s%n", Num.fixed(minutes[i], 0), "-"));
          continue;
        }
        b.append(String.format(Locale.ROOT, "%7s %6d %9d %10s %10s %12s %13s%n", Num.fixed(minutes[i], 0),
            p.turn(), p.contextTokens(), Num.fixed(p.ttftNs() / 1e6, 1), Num.fixed(p.tpotNs() / 1e6, 2),
            Num.fixed(p.activeJ(), 1), Num.fixed(p.withIdleJ(), 1)));
      }
    }
    if (!m.probes().isEmpty()) {
      b.append(String.format(Locale.ROOT, "%-28s %9s %10s %10s %12s %12s%n", "probe", "context", "KV GiB/GPU",
          "TTFT ms", "ms/token", "J/token"));
      for (RunMetrics.ProbeRow p : sortedProbes(r)) {
        DeploymentPlan plan = plan(r, p.deployment());
        String kv = Num.fixed(plan.model().heldBytesPerGpu(p.contextTokens()) / (1024.0 * 1024 * 1024), 2);
        if (p.request() == null) {
          b.append(String.format(Locale.ROOT, "%-28s %9d %10s  does_not_fit%n", p.deployment(), p.contextTokens(), kv));
          continue;
        }
        Request q = p.request();
        b.append(String.format(Locale.ROOT, "%-28s %9d %10s %10s %12s %12s%n", p.deployment(), p.contextTokens(), kv,
            Num.fixed(q.ttftNs() / 1e6, 1), Num.fixed(q.tpotNs() / 1e6, 2), Num.fixed(q.activeJ() / q.outputTokens(), 2)));
      }
    }
    return b.toString();
  }
}
