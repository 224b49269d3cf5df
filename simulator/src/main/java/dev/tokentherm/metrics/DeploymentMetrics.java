package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;

/**
 * The windowed figures of a set of requests — one deployment's, or the cluster's — counted by the
 * rules {@link RunMetrics} applies (docs/DESIGN.md §8): latencies, throughput, SLO. RunMetrics keeps
 * one for the cluster and one per deployment and feeds them the same events, so the cluster's
 * figures and each deployment's are counted alike by construction; only RunMetrics changes them.
 */
public final class DeploymentMetrics {
  private final LatencyHistogram ttft = new LatencyHistogram();
  private final LatencyHistogram tpot = new LatencyHistogram();
  private final LatencyHistogram tbt = new LatencyHistogram();
  private final LatencyHistogram maxTbt = new LatencyHistogram();
  private final LatencyHistogram e2e = new LatencyHistogram();
  private final LatencyHistogram queue = new LatencyHistogram();
  private long arrived;
  private long completed;
  private long completedInWindow;
  private long rejected;
  private long timedOut;
  private long failed;
  private long unfinished;
  private long preempted;
  private long metSlo;
  private long windowOutputTokens;

  DeploymentMetrics() {}

  // the counting, called by RunMetrics for windowed requests (and in-window completions and tokens)

  void countArrival() {
    arrived++;
  }

  void countRejection() {
    rejected++;
  }

  void countTimeout() {
    timedOut++;
  }

  void countFailure() {
    failed++;
  }

  void countPreemption() {
    preempted++;
  }

  void countUnfinished() {
    unfinished++;
  }

  void countCompletionInWindow() {
    completedInWindow++;
  }

  void addWindowOutputTokens(int tokens) {
    windowOutputTokens += tokens;
  }

  /** {@code count} gaps of {@code gapNs} between tokens (one per windowed decode of an iteration). */
  void recordTokenGaps(long gapNs, long count) {
    tbt.record(gapNs, count);
  }

  void recordTokenGap(long gapNs) {
    tbt.record(gapNs);
  }

  /** A windowed request completed: its latencies, and whether it met the SLO. */
  void recordCompleted(Request r, double tpotNs, boolean meetsSlo) {
    completed++;
    ttft.record(r.ttftNs());
    queue.record(r.queueNs());
    e2e.record(r.e2eNs());
    if (!Double.isNaN(tpotNs)) { // a single-token reply has no time per output token
      tpot.record(Math.round(tpotNs));
      maxTbt.record(r.maxTbtNs());
    }
    if (meetsSlo) {
      metSlo++;
    }
  }

  public LatencyHistogram ttft() {
    return ttft;
  }

  public LatencyHistogram tpot() {
    return tpot;
  }

  public LatencyHistogram tbt() {
    return tbt;
  }

  public LatencyHistogram maxTbt() {
    return maxTbt;
  }

  public LatencyHistogram e2e() {
    return e2e;
  }

  /** Time from arrival to admission. */
  public LatencyHistogram queue() {
    return queue;
  }

  /** Requests that arrived in the window. */
  public long arrived() {
    return arrived;
  }

  /** Windowed requests completed, at any time. */
  public long completed() {
    return completed;
  }

  /** Requests completed inside the window by completion time, windowed or not (the rate of Little's law). */
  public long completedInWindow() {
    return completedInWindow;
  }

  public long rejected() {
    return rejected;
  }

  public long timedOut() {
    return timedOut;
  }

  /** Windowed requests that failed: their replica shut down, or none was live at their arrival. */
  public long failed() {
    return failed;
  }

  /** Windowed requests still in flight at the end, as found there (not derived from the other counts). */
  public long unfinished() {
    return unfinished;
  }

  public long preempted() {
    return preempted;
  }

  /** Windowed requests that completed within the SLO's TTFT and TPOT. */
  public long metSlo() {
    return metSlo;
  }

  /** Tokens from iterations that ended inside the window. */
  public long windowOutputTokens() {
    return windowOutputTokens;
  }
}
