package dev.tokentherm.metrics;

/**
 * One deployment's share of the run's windowed figures, counted exactly as {@link RunMetrics}
 * counts the cluster's (the same requests, the same window rules): latencies, throughput, SLO.
 */
public final class DeploymentMetrics {
  public final LatencyHistogram ttft = new LatencyHistogram();
  public final LatencyHistogram tpot = new LatencyHistogram();
  public final LatencyHistogram tbt = new LatencyHistogram();
  public final LatencyHistogram maxTbt = new LatencyHistogram();
  public final LatencyHistogram e2e = new LatencyHistogram();
  public final LatencyHistogram queue = new LatencyHistogram();
  public long arrived;
  public long completed;
  /** Requests completed inside the window by completion time. */
  public long completedInWindow;
  public long rejected;
  public long timedOut;
  public long unfinished;
  public long preempted;
  public long metSlo;
  public long windowOutputTokens;
}
