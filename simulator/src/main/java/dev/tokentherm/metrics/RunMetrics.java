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
  /** Requests in the system (arrived, not yet completed, rejected, timed out or failed) and its time integral over the window. */
  private long inSystem;
  private long inSystemSinceNs;
  private double inSystemAreaNsWindow;
  private double e2eSumNsCompletedInWindow;
  /** Podcast phrases reported per deployment: the report minutes and the first turn at or after each. */
  private final Map<String, double[]> reportMinutes = new LinkedHashMap<>();
  private final Map<String, Request[]> phrases = new LinkedHashMap<>();
  private final List<ProbeRow> probes = new ArrayList<>();

  /** One probe: the request at one context, or why it could not run. */
  public record ProbeRow(String deployment, long contextTokens, Request request, String doesNotFit) {}

  /** The cluster's windowed figures, counted as each deployment's are. */
  private final DeploymentMetrics cluster = new DeploymentMetrics();
  private final RunCounters counters = new RunCounters();
  /** First arrival to last completion; set when the meters are attached (before the run). */
  private ActivitySpan activity;
  private final List<String> rejections = new ArrayList<>();
  private long rejectionsNotListed;

  /** @param reportMinutes podcast report minutes by the deployment the podcast runs on */
  public RunMetrics(long windowStartNs, long windowEndNs, Slo slo, RunSinks sinks,
      Map<String, List<Double>> reportMinutes) {
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
    this.slo = slo;
    this.turns = sinks.turns();
    this.requestRows = sinks.timeline().alongside(sinks.requests()); // the timeline sees each fate too
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
    counters.split(deployments);
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
    long completedInWindow = cluster.completedInWindow();
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
    this.activity = new ActivitySpan(meters);
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
    counters.countArrival();
    changeInSystem(r.arrivalNs(), +1);
    activity.arrival(r.arrivalNs());
    if (r.windowed()) {
      cluster.countArrival();
      part(r).countArrival();
    }
    counters.seeContext(r.contextTokens());
  }

  @Override
  public void requestRejected(Request r, String reason) {
    counters.countRejection();
    changeInSystem(clock.getAsLong(), -1);
    row(r, "rejected");
    if (r.windowed()) {
      cluster.countRejection();
      part(r).countRejection();
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
    counters.countCompletion();
    activity.completion(r.doneNs());
    if (r.conversation().isProbe()) {
      probes.add(new ProbeRow(r.conversation().replica().deployment(), r.conversation().preloadedTokens(), r, null));
    }
    counters.addActive(r.conversation().replica().deploymentIndex(), r.activeJ());
    counters.seeContext(r.contextTokens());
    changeInSystem(r.doneNs(), -1);
    row(r, "completed");
    DeploymentMetrics part = part(r);
    if (r.doneNs() >= windowStartNs && r.doneNs() < windowEndNs) {
      cluster.countCompletionInWindow();
      part.countCompletionInWindow();
      e2eSumNsCompletedInWindow += r.e2eNs();
    }
    double tpotNs = r.tpotNs();
    boolean meets = r.ttftNs() <= slo.ttftMs() * 1e6 && (Double.isNaN(tpotNs) || tpotNs <= slo.tpotMs() * 1e6);
    counters.addGoodOutputTokens(meets ? r.outputTokens() : 0);
    if (!r.windowed()) {
      return;
    }
    cluster.recordCompleted(r, tpotNs, meets);
    part.recordCompleted(r, tpotNs, meets);
  }

  @Override
  public void requestPreempted(Request r) {
    counters.countPreemption();
    if (r.windowed()) {
      cluster.countPreemption();
      part(r).countPreemption();
    }
  }

  @Override
  public void requestTimedOut(Request r) {
    counters.countTimeout();
    changeInSystem(clock.getAsLong(), -1);
    row(r, "timed_out");
    if (r.windowed()) {
      cluster.countTimeout();
      part(r).countTimeout();
    }
  }

  @Override
  public void requestFailed(Request r) {
    counters.countFailure();
    counters.addActive(r.conversation().replica().deploymentIndex(), r.activeJ()); // what it ran before
    changeInSystem(clock.getAsLong(), -1);
    row(r, "failed");
    if (r.windowed()) {
      cluster.countFailure();
      part(r).countFailure();
    }
  }

  @Override
  public void replicaShutDown(Replica replica, long nowNs) {
    counters.countShutDownGpus(replica.gpuCount());
  }

  @Override
  public void conversationEnded(Conversation c) {
    counters.countConversationEnded();
    counters.addIdleShare(c.replica().deploymentIndex(), c.idleJ());
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
    cluster.recordTokenGap(gapNs);
    parts[replica.deploymentIndex()].recordTokenGap(gapNs);
  }

  @Override
  public void iterationDone(Replica replica, long startNs, long durationNs, IterationCost cost,
      int tokensOut, int windowedDecodes, long gapNs) {
    long end = startNs + durationNs;
    counters.countIteration(tokensOut);
    DeploymentMetrics part = parts[replica.deploymentIndex()];
    if (end >= windowStartNs && end < windowEndNs) {
      cluster.addWindowOutputTokens(tokensOut);
      part.addWindowOutputTokens(tokensOut);
    }
    cluster.recordTokenGaps(gapNs, windowedDecodes);
    part.recordTokenGaps(gapNs, windowedDecodes);
  }

  /** A request still in flight at the end: its energy so far is attributed to it. */
  public void inFlight(Request r) {
    counters.addActive(r.conversation().replica().deploymentIndex(), r.activeJ());
    row(r, "unfinished");
    if (r.windowed()) {
      cluster.countUnfinished();
      part(r).countUnfinished();
    }
  }

  /** A conversation still live at the end: its idle share so far. */
  public void liveConversation(Conversation c) {
    counters.addIdleShare(c.replica().deploymentIndex(), c.idleJ());
  }

  /** The whole run's counters (window or not): requests by fate, tokens, attributed energy. */
  public RunCounters counters() {
    return counters;
  }

  /** First arrival to last completion and the GPU energy at each end (the default measure window). */
  public ActivitySpan activity() {
    return activity;
  }

  // the cluster's windowed figures, as DeploymentMetrics defines them

  public LatencyHistogram ttft() {
    return cluster.ttft();
  }

  public LatencyHistogram tpot() {
    return cluster.tpot();
  }

  public LatencyHistogram tbt() {
    return cluster.tbt();
  }

  public LatencyHistogram maxTbt() {
    return cluster.maxTbt();
  }

  public LatencyHistogram e2e() {
    return cluster.e2e();
  }

  public LatencyHistogram queue() {
    return cluster.queue();
  }

  public long arrived() {
    return cluster.arrived();
  }

  public long completed() {
    return cluster.completed();
  }

  /** Requests completed inside the window by completion time (the rate of Little's law). */
  public long completedInWindow() {
    return cluster.completedInWindow();
  }

  public long rejected() {
    return cluster.rejected();
  }

  public long timedOut() {
    return cluster.timedOut();
  }

  public long failed() {
    return cluster.failed();
  }

  /** Windowed requests still in flight at the end, as found there (not derived from the other counts). */
  public long unfinished() {
    return cluster.unfinished();
  }

  public long preempted() {
    return cluster.preempted();
  }

  public long metSlo() {
    return cluster.metSlo();
  }

  public long windowOutputTokens() {
    return cluster.windowOutputTokens();
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
