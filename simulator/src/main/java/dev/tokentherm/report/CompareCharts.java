package dev.tokentherm.report;

import dev.tokentherm.results.Decimals;
import dev.tokentherm.results.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The charts of a {@link Comparison}, one line per group: latency CDFs of the group's histograms
 * added (TTFT, TBT, E2E, the first group's SLO thresholds as marks), and time series of
 * report_series.csv reduced to one line per run (throughput and goodput as written, power,
 * KV occupancy and running batch averaged over their GPUs or replicas), averaged point by point
 * over the group's seeds when their runs share the sample times, else one line per seed.
 */
public final class CompareCharts {
  /** The time series drawn: chart id, title, series in report_series.csv, y axis. */
  static final List<String[]> SERIES = List.of(
      new String[] {"chart-throughput", "Output throughput", "throughput_tok_per_s", "output tokens per s"},
      new String[] {"chart-goodput", "Goodput (tokens of requests within the SLO)", "goodput_tok_per_s",
          "output tokens per s"},
      new String[] {"chart-power", "Power per GPU, mean over the GPUs", "power_w", "W"},
      new String[] {"chart-kv-occupancy", "KV occupancy, mean over the replicas", "kv_occupancy_frac",
          "fraction of KV blocks"},
      new String[] {"chart-running-batch", "Running batch, mean over the replicas", "running_batch", "requests"});

  private CompareCharts() {}

  /** The charts that the groups' files allow, in page order. */
  public static List<Chart> of(Comparison c) {
    List<Chart> charts = new ArrayList<>();
    Summary.Slo slo = c.groups().get(0).runs().get(0).summary().slo();
    for (String[] cdf : ReportCharts.CDFS) {
      Chart chart = new Chart("chart-" + cdf[0] + "-cdf", cdf[2] + " (CDF, seeds pooled)", "cdf", "ms", "fraction");
      for (int g = 0; g < c.groups().size(); g++) {
        double[][] xy = LatencyDistributions.cdfMs(c.groups().get(g).merged(LatencyDistributions.ALL, cdf[1]));
        chart.series(name(c, g), xy[0], xy[1]);
      }
      if (cdf[1].equals("ttft")) {
        chart.markX("SLO TTFT " + Decimals.fixed(slo.ttftMs(), 0) + " ms", slo.ttftMs());
      } else if (cdf[1].equals("tbt")) {
        chart.markX("SLO TPOT " + Decimals.fixed(slo.tpotMs(), 0) + " ms", slo.tpotMs());
      }
      add(charts, chart);
    }
    for (String[] s : SERIES) {
      Chart chart = new Chart(s[0], s[1], "line", "time, s", s[3]);
      for (int g = 0; g < c.groups().size(); g++) {
        overlay(chart, name(c, g), c.groups().get(g), s[2]);
      }
      add(charts, chart);
    }
    return charts;
  }

  private static void add(List<Chart> charts, Chart c) {
    if (!c.isEmpty()) {
      charts.add(c);
    }
  }

  private static String name(Comparison c, int g) {
    return Comparison.letter(g) + " " + c.groups().get(g).label();
  }

  private static void overlay(Chart chart, String name, RunGroup group, String series) {
    List<double[][]> lines = new ArrayList<>();
    for (Results r : group.runs()) {
      double[][] line = r.series() == null ? null : meanOverKeys(r.series().series(series));
      if (line != null) {
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    boolean shared = true;
    for (double[][] l : lines) {
      shared &= Arrays.equals(l[0], lines.get(0)[0]);
    }
    if (shared) {
      chart.series(lines.size() > 1 ? name + " (mean of " + lines.size() + " seeds)" : name, lines.get(0)[0],
          meanOverLines(lines));
      return;
    }
    for (int i = 0; i < group.runs().size() && i < lines.size(); i++) {
      chart.series(name + " seed " + group.runs().get(i).summary().seed(), lines.get(i)[0], lines.get(i)[1]);
    }
  }

  /**
   * The mean over keys at each sample, {time, value}; the keys' sample times are the first key's
   * (report_series.csv samples every key at the same instants). Null without keys.
   */
  static double[][] meanOverKeys(List<SeriesTable.Series> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    double[] t = keys.get(0).timeS();
    double[] v = new double[t.length];
    for (SeriesTable.Series s : keys) {
      for (int i = 0; i < t.length && i < s.value().length; i++) {
        v[i] += s.value()[i] / keys.size();
      }
    }
    return new double[][] {t, v};
  }

  private static double[] meanOverLines(List<double[][]> lines) {
    double[] v = new double[lines.get(0)[1].length];
    for (double[][] l : lines) {
      for (int i = 0; i < v.length; i++) {
        v[i] += l[1][i] / lines.size();
      }
    }
    return v;
  }
}
