package dev.tokentherm.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * latencies.hlog: the window's latency distributions kept whole, so reports draw CDFs and merge
 * seeds without re-running. An HdrHistogram log (org.HdrHistogram.HistogramLogWriter, format 1.3)
 * with one interval histogram per deployment and metric, tagged {@code <deployment>/<metric>}
 * ({@code all} for the whole fleet; metrics {@link #METRICS}), values in ns, 3 significant digits,
 * each spanning the measurement window (start and end timestamps in simulated seconds). The
 * histograms are exactly those summary.json's percentiles are read from.
 */
public final class LatencyLog {
  public static final String FILE = "latencies.hlog";
  /** The metrics, in the order written: as summary.json's latency block (max_tbt is per request). */
  public static final List<String> METRICS = List.of("ttft", "tpot", "tbt", "max_tbt", "e2e", "queue");
  /** The fleet-wide figures' deployment name. */
  public static final String ALL = "all";

  private LatencyLog() {}

  /**
   * Writes the log.
   *
   * @param deployments the deployments' names, in the scenario's order (RunMetrics' numbering)
   */
  public static void write(OutputStream out, RunMetrics metrics, List<String> deployments, double windowStartS,
      double windowEndS) throws IOException {
    PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
    HistogramLogWriter log = new HistogramLogWriter(print);
    log.outputLogFormatVersion();
    log.outputComment("tokentherm latency distributions: tag <deployment>/<metric>, values in ns");
    log.outputLegend();
    write(log, ALL, metrics.ttft(), metrics.tpot(), metrics.tbt(), metrics.maxTbt(), metrics.e2e(), metrics.queue(),
        windowStartS, windowEndS);
    for (int i = 0; i < deployments.size(); i++) {
      DeploymentMetrics d = metrics.deployment(i);
      write(log, deployments.get(i), d.ttft(), d.tpot(), d.tbt(), d.maxTbt(), d.e2e(), d.queue(), windowStartS,
          windowEndS);
    }
    print.flush();
    if (print.checkError()) {
      throw new IOException(FILE + ": cannot be written");
    }
  }

  private static void write(HistogramLogWriter log, String deployment, LatencyHistogram ttft, LatencyHistogram tpot,
      LatencyHistogram tbt, LatencyHistogram maxTbt, LatencyHistogram e2e, LatencyHistogram queue, double startS,
      double endS) {
    LatencyHistogram[] all = {ttft, tpot, tbt, maxTbt, e2e, queue};
    for (int m = 0; m < all.length; m++) {
      Histogram h = all[m].copy();
      h.setTag(deployment + "/" + METRICS.get(m));
      log.outputIntervalHistogram(startS, endS, h, 1e6);
    }
  }
}
