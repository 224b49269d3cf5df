package dev.tokentherm.metrics;

import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.serving.Conversation;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.serving.Request;
import dev.tokentherm.serving.ServingListener;
import dev.tokentherm.scenario.Slo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a run's figures as docs/DESIGN.md §8 defines them: windowed requests (by arrival) feed the
 * percentiles and the SLO; tokens count in the window when the iteration that samples them ends
 * in it; conservation counters cover the whole run.
 */
public final class RunMetrics implements ServingListener {
  private final long windowStartNs;
  private final long windowEndNs;
  private final Slo slo;
  private final TurnSink turns;
  private final RequestSink requestRows;
  private java.util.function.LongSupplier clock = () -> 0;
  /** Requests in the system (arrived, not yet completed, rejected or timed out) and its time integral over the window. */
  private long inSystem;
  private long inSystemSinceNs;
  private double inSystemAreaNsWindow;
  private double e2eSumNsCompletedInWindow;
  public final LatencyHistogram queue = new LatencyHistogram();
  /** Podcast phrases reported per deployment: the report minutes and the first turn at or after each. */
  private final Map<String, double[]> reportMinutes = new LinkedHashMap<>();
  private final Map<String, Request[]> phrases = new LinkedHashMap<>();
  private final List<ProbeRow> probes = new ArrayList<>();

  /** One probe: the request at one context, or why it could not run. */
  public record ProbeRow(String deployment, long contextTokens, Request request, String doesNotFit) {}

  public final LatencyHistogram ttft = new LatencyHistogram();
  public final LatencyHistogram tpot = new LatencyHistogram();
  public final LatencyHistogram tbt = new LatencyHistogram();
  public final LatencyHistogram maxTbt = new LatencyHistogram();
  public final LatencyHistogram e2e = new LatencyHistogram();

  public long arrived;
  public long completed;
  /** Requests completed inside the window by completion time (the rate of Little's law). */
  public long completedInWindow;
  public long rejected;
  public long timedOut;
  public long runRequestsTimedOut;
  public long metSlo;
  public long windowOutputTokens;
  public long runRequestsArrived;
  public long runRequestsCompleted;
  public long runRequestsRejected;
  public long runOutputTokens;
  public long runIterations;
  public long firstArrivalNs = -1;
  public long lastCompletionNs = -1;
  public long peakContextTokens;
  public double activeJ;
  public double energyAtFirstArrivalJ;
  public double energyAtLastCompletionJ;
  /** Each GPU group's energy (see GpuMeters#groups) at the first arrival and the last completion; null without groups. */
  public double[] groupEnergyAtFirstArrivalJ;
  public double[] groupEnergyAtLastCompletionJ;
  private GpuMeters meters;
  public double idleSharesJ;
  public long conversationsEnded;
  private final List<String> rejections = new ArrayList<>();
  private long rejectionsNotListed;

  /** @param reportMinutes podcast report minutes by the deployment the podcast runs on */
  public RunMetrics(long windowStartNs, long windowEndNs, Slo slo, RunSinks sinks,
      Map<String, List<Double>> reportMinutes) {
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
    this.slo = slo;
    this.turns = sinks.turns();
    this.requestRows = sinks.requests();
    for (Map.Entry<String, List<Double>> e : reportMinutes.entrySet()) {
      double[] m = new double[e.getValue().size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = e.getValue().get(i);
      }
      this.reportMinutes.put(e.getKey(), m);
      this.phrases.put(e.getKey(), new Request[m.length]);
    }
  }

  /** Per deployment (by its number), the same windowed figures; one part until split. */
  private DeploymentMetrics[] parts = {new DeploymentMetrics()};

  /** Keeps per-deployment figures for {@code deployments} deployments (before the run). */
  public void splitByDeployment(int deployments) {
    parts = new DeploymentMetrics[Math.max(1, deployments)];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new DeploymentMetrics();
    }
  }

  /** One deployment's figures, by its number in the scenario. */
  public DeploymentMetrics deployment(int index) {
    return parts[index];
  }

  private DeploymentMetrics part(Request r) {
    return parts[r.conversation().replica().deploymentIndex()];
  }

  /** The simulation clock, for events that carry no time of their own (timeouts). */
  public void attachClock(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  /** Integrates the number of requests in the system up to {@code nowNs} (the window part), then changes it. */
  private void changeInSystem(long nowNs, int delta) {
    long from = Math.max(inSystemSinceNs, windowStartNs);
    long to = Math.min(nowNs, windowEndNs);
    if (to > from) {
      inSystemAreaNsWindow += (double) inSystem * (to - from);
    }
    inSystemSinceNs = nowNs;
    inSystem += delta;
  }

  /** Time-averaged requests in the system over [window start, {@code endNs}] (Little's L). */
  public double meanInSystem(long endNs) {
    changeInSystem(endNs, 0);
    long length = Math.min(endNs, windowEndNs) - windowStartNs;
    return length > 0 ? inSystemAreaNsWindow / length : Double.NaN;
  }

  /** Mean E2E of the requests completed inside the window, s (Little's W, paired with completedInWindow). */
  public double meanE2eCompletedInWindowS() {
    return completedInWindow > 0 ? e2eSumNsCompletedInWindow / completedInWindow * 1e-9 : Double.NaN;
  }

  private void row(Request r, String status) {
    try {
      requestRows.request(r, status);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets the default window (first arrival to last completion) read the cluster energy. */
  public void attachMeters(GpuMeters meters) {
    this.meters = meters;
    if (meters.groupCount() > 0) {
      groupEnergyAtLastCompletionJ = new double[meters.groupCount()];
    }
  }

  /** The scenario's SLO thresholds and target. */
  public Slo slo() {
    return slo;
  }

  public long windowStartNs() {
    return windowStartNs;
  }

  public long windowEndNs() {
    return windowEndNs;
  }

  @Override
  public void requestArrived(Request r) {
    runRequestsArrived++;
    changeInSystem(r.arrivalNs(), +1);
    if (firstArrivalNs < 0) {
      firstArrivalNs = r.arrivalNs();
      energyAtFirstArrivalJ = meters.totalEnergyJ(r.arrivalNs());
      if (meters.groupCount() > 0) {
        groupEnergyAtFirstArrivalJ = new double[meters.groupCount()];
        meters.groupEnergiesJ(r.arrivalNs(), groupEnergyAtFirstArrivalJ);
      }
    }
    if (r.windowed()) {
      arrived++;
      part(r).arrived++;
    }
    peakContextTokens = Math.max(peakContextTokens, r.contextTokens());
  }

  @Override
  public void requestRejected(Request r, String reason) {
    runRequestsRejected++;
    changeInSystem(clock.getAsLong(), -1);
    row(r, "rejected");
    if (r.windowed()) {
      rejected++;
      part(r).rejected++;
    }
    if (r.conversation().isProbe()) {
      probes.add(new ProbeRow(r.conversation().replica().deployment(), r.conversation().preloadedTokens(), null, reason));
    }
    if (rejections.size() < 5) {
      rejections.add("conversation " + r.conversation().id() + " turn " + r.turn() + ": " + reason);
    } else {
      rejectionsNotListed++;
    }
  }

  @Override
  public void requestDone(Request r) {
    runRequestsCompleted++;
    lastCompletionNs = r.doneNs();
    if (r.conversation().isProbe()) {
      probes.add(new ProbeRow(r.conversation().replica().deployment(), r.conversation().preloadedTokens(), r, null));
    }
    energyAtLastCompletionJ = meters.totalEnergyJ(r.doneNs());
    if (groupEnergyAtLastCompletionJ != null) {
      meters.groupEnergiesJ(r.doneNs(), groupEnergyAtLastCompletionJ);
    }
    activeJ += r.activeJ();
    peakContextTokens = Math.max(peakContextTokens, r.contextTokens());
    changeInSystem(r.doneNs(), -1);
    row(r, "completed");
    DeploymentMetrics part = part(r);
    if (r.doneNs() >= windowStartNs && r.doneNs() < windowEndNs) {
      completedInWindow++;
      part.completedInWindow++;
      e2eSumNsCompletedInWindow += r.e2eNs();
    }
    if (!r.windowed()) {
      return;
    }
    completed++;
    part.completed++;
    ttft.record(r.ttftNs());
    queue.record(r.queueNs());
    e2e.record(r.e2eNs());
    part.ttft.record(r.ttftNs());
    part.queue.record(r.queueNs());
    part.e2e.record(r.e2eNs());
    double tpotNs = r.tpotNs();
    if (!Double.isNaN(tpotNs)) {
      tpot.record(Math.round(tpotNs));
      maxTbt.record(r.maxTbtNs());
      part.tpot.record(Math.round(tpotNs));
      part.maxTbt.record(r.maxTbtNs());
    }
    boolean meets = r.ttftNs() <= slo.ttftMs() * 1e6 && (Double.isNaN(tpotNs) || tpotNs <= slo.tpotMs() * 1e6);
    if (meets) {
      metSlo++;
      part.metSlo++;
    }
  }

  public long preempted;
  public long runPreemptions;

  @Override
  public void requestPreempted(Request r) {
    runPreemptions++;
    if (r.windowed()) {
      preempted++;
      part(r).preempted++;
    }
  }

  @Override
  public void requestTimedOut(Request r) {
    runRequestsTimedOut++;
    changeInSystem(clock.getAsLong(), -1);
    row(r, "timed_out");
    if (r.windowed()) {
      timedOut++;
      part(r).timedOut++;
    }
  }

  @Override
  public void conversationEnded(Conversation c) {
    conversationsEnded++;
    idleSharesJ += c.idleJ();
  }

  @Override
  public void turnClosed(Request r) {
    String deployment = r.conversation().replica().deployment();
    double[] minutes = reportMinutes.get(deployment);
    if (minutes != null && !r.conversation().isProbe()) {
      Request[] found = phrases.get(deployment);
      for (int i = 0; i < minutes.length; i++) {
        if (found[i] == null && r.arrivalNs() >= minutes[i] * 60e9) {
          found[i] = r;
        }
      }
    }
    try {
      turns.turn(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void tokenGap(Replica replica, long gapNs) {
    tbt.record(gapNs);
    parts[replica.deploymentIndex()].tbt.record(gapNs);
  }

  @Override
  public void iterationDone(Replica replica, long startNs, long durationNs, IterationCost cost,
      int tokensOut, int windowedDecodes, long gapNs) {
    long end = startNs + durationNs;
    runIterations++;
    runOutputTokens += tokensOut;
    DeploymentMetrics part = parts[replica.deploymentIndex()];
    if (end >= windowStartNs && end < windowEndNs) {
      windowOutputTokens += tokensOut;
      part.windowOutputTokens += tokensOut;
    }
    tbt.record(gapNs, windowedDecodes);
    part.tbt.record(gapNs, windowedDecodes);
  }

  /** A request still in flight at the end: its energy so far is attributed to it. */
  public void inFlight(Request r) {
    activeJ += r.activeJ();
    row(r, "unfinished");
    if (r.windowed()) {
      unfinishedFound++;
      part(r).unfinished++;
    }
  }

  /** Windowed requests found in flight at the end (queued, prefilling, decoding, swapped, pending). */
  private long unfinishedFound;

  /** A conversation still live at the end: its idle share so far. */
  public void liveConversation(Conversation c) {
    idleSharesJ += c.idleJ();
  }

  /** Windowed requests still in flight at the end, as found there (not derived from the other counts). */
  public long unfinished() {
    return unfinishedFound;
  }

  public List<String> rejectionSamples() {
    return rejections;
  }

  public long rejectionsNotListed() {
    return rejectionsNotListed;
  }

  /** Per deployment with a podcast, the first turn whose prompt arrived at or after each report minute (null if none). */
  public Map<String, Request[]> phrases() {
    return phrases;
  }

  public Map<String, double[]> reportMinutes() {
    return reportMinutes;
  }

  /** Probe rows in the order they finished. */
  public List<ProbeRow> probes() {
    return probes;
  }
}
