package dev.tokentherm.report;

import dev.tokentherm.results.Summary;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The charts of one run's report, each from the files it names: latency CDFs from latencies.hlog
 * (with the SLO's thresholds from summary.json), time series from report_series.csv (the GPUs'
 * thermal limits from assumptions.json), the cost per phrase from conversations.csv. A chart whose
 * file or series is absent is left out ({@link #of} lists what was drawn). Series are named by
 * their key; {@code label}, when not empty, prefixes every name (for a comparison of runs).
 */
public final class ReportCharts {
  /** The latency CDFs: chart id suffix, metric in latencies.hlog, title. */
  public static final List<String[]> CDFS = List.of(new String[] {"ttft", "ttft", "Time to first token"},
      new String[] {"tbt", "tbt", "Time between tokens"}, new String[] {"e2e", "e2e", "End-to-end latency"});

  private ReportCharts() {}

  /** Every chart of the run that its files allow, in page order. */
  public static List<Chart> of(Results r) {
    List<Chart> charts = new ArrayList<>();
    for (String[] cdf : CDFS) {
      Chart c = latencyCdf(r, cdf[1], "");
      if (c != null && !c.isEmpty()) {
        charts.add(c);
      }
    }
    add(charts, throughput(r, ""));
    add(charts, perKey(r, "chart-running-batch", "Running batch per replica", "running_batch", "requests", ""));
    add(charts, perKey(r, "chart-kv-occupancy", "KV occupancy per replica", "kv_occupancy_frac",
        "fraction of KV blocks", ""));
    add(charts, perKey(r, "chart-tier-occupancy", "KV tier occupancy", "tier_occupancy_frac",
        "fraction of capacity", ""));
    Chart traffic = perKey(r, "chart-tier-traffic", "KV tier traffic in", "tier_bytes_in_per_s", "bytes per s", "");
    if (traffic != null && r.series() != null) {
      for (SeriesTable.Series s : r.series().series("tier_bytes_out_per_s")) {
        traffic.series(s.key() + " out", s.timeS(), s.value());
      }
    }
    add(charts, traffic);
    add(charts, perKey(r, "chart-power", "Power per GPU", "power_w", "W", ""));
    Chart temperature = perKey(r, "chart-temperature", "Temperature per GPU", "temperature_c", "°C", "");
    if (temperature != null) {
      for (Chart.Mark m : AssumptionTables.thermalLimits(r.assumptions())) {
        temperature.markY(m.name(), m.y());
      }
    }
    add(charts, temperature);
    add(charts, phraseCost(r, ""));
    return charts;
  }

  private static void add(List<Chart> charts, Chart c) {
    if (c != null && !c.isEmpty()) {
      charts.add(c);
    }
  }

  /**
   * The CDF of one latency metric, the fleet's and, with several deployments, each one's; SLO
   * thresholds as vertical marks (TTFT: slo.ttft_ms; TBT: slo.tpot_ms). Null without latencies.hlog.
   */
  public static Chart latencyCdf(Results r, String metric, String label) {
    if (r.latencies() == null) {
      return null;
    }
    String title = CDFS.stream().filter(c -> c[1].equals(metric)).map(c -> c[2]).findFirst().orElse(metric);
    Chart c = new Chart("chart-" + metric + "-cdf", title + " (CDF of the window's requests)", "cdf", "ms",
        "fraction");
    List<String> deployments = new ArrayList<>();
    deployments.add(LatencyDistributions.ALL);
    if (r.summary().byDeployment().size() > 1) {
      deployments.addAll(r.summary().byDeployment().keySet());
    }
    for (String d : deployments) {
      Histogram h = r.latencies().get(d, metric);
      double[][] cdf = LatencyDistributions.cdfMs(h);
      c.series(name(label, d), cdf[0], cdf[1]);
    }
    Summary.Slo slo = r.summary().slo();
    if (metric.equals("ttft")) {
      c.markX("SLO TTFT " + dev.tokentherm.results.Decimals.fixed(slo.ttftMs(), 0) + " ms", slo.ttftMs());
    } else if (metric.equals("tbt") || metric.equals("tpot")) {
      c.markX("SLO TPOT " + dev.tokentherm.results.Decimals.fixed(slo.tpotMs(), 0) + " ms", slo.tpotMs());
    }
    return c;
  }

  /** Output tokens per second and goodput (tokens of requests within the SLO) over time. */
  public static Chart throughput(Results r, String label) {
    if (r.series() == null) {
      return null;
    }
    Chart c = new Chart("chart-throughput", "Throughput and goodput", "line", "time, s", "output tokens per s");
    for (String name : List.of("throughput_tok_per_s", "goodput_tok_per_s")) {
      for (SeriesTable.Series s : r.series().series(name)) {
        c.series(name(label, name.replace("_tok_per_s", "")), s.timeS(), s.value());
      }
    }
    return c;
  }

  /** One series of report_series.csv, a line per key. Null without report_series.csv or the series. */
  public static Chart perKey(Results r, String id, String title, String series, String yName, String label) {
    if (r.series() == null || !r.series().has(series)) {
      return null;
    }
    Chart c = new Chart(id, title, "line", "time, s", yName);
    for (SeriesTable.Series s : r.series().series(series)) {
      c.series(name(label, s.key()), s.timeS(), s.value());
    }
    return c;
  }

  /**
   * The cost of each phrase against the minute of its conversation: active J (left axis) and
   * end-to-end ms (right axis) per turn ({@link ConversationCosts#points}). Null without
   * conversations.csv or turns.
   */
  public static Chart phraseCost(Results r, String label) {
    if (r.costs() == null || r.costs().turns().isEmpty()) {
      return null;
    }
    double[][] p = r.costs().points();
    double[] minute = new double[p.length];
    double[] joules = new double[p.length];
    double[] ms = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      minute[i] = p[i][0];
      joules[i] = p[i][1];
      ms[i] = p[i][2];
    }
    return new Chart("chart-phrase-cost", "Cost per phrase against conversation minute", "scatter",
        "minute of the conversation", "active J per turn").secondAxis("ms per turn (end to end)")
        .series(name(label, "J per turn"), minute, joules).series(name(label, "ms per turn"), minute, ms, 1);
  }

  private static String name(String label, String name) {
    return label.isEmpty() ? name : label + " " + name;
  }
}
