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
 * KV occupancy and running batch averaged over their GPUs or replicas), averaged over the
 * group's seeds at the first run's sample times up to the shortest run's end (each seed's line
 * interpolated linearly there: a run's sample times depend on its length).
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
      if (line != null && line[0].length > 0) {
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    double end = Double.POSITIVE_INFINITY;
    for (double[][] l : lines) {
      end = Math.min(end, l[0][l[0].length - 1]);
    }
    double[] first = lines.get(0)[0];
    int n = 0;
    while (n < first.length && first[n] <= end) {
      n++;
    }
    double[] t = Arrays.copyOf(first, n);
    double[] v = new double[n];
    for (double[][] l : lines) {
      for (int i = 0; i < n; i++) {
        v[i] += interpolate(l[0], l[1], t[i]) / lines.size();
      }
    }
    chart.series(lines.size() > 1 ? name + " (mean of " + lines.size() + " seeds)" : name, t, v);
  }

  /**
   * The line through the points (t[i], v[i]) (t ascending) at {@code at}: linear between the two
   * points around it, the end value beyond either end.
   */
  static double interpolate(double[] t, double[] v, double at) {
    int i = Arrays.binarySearch(t, at);
    if (i >= 0) {
      return v[i];
    }
    int above = -i - 1;
    if (above == 0) {
      return v[0];
    }
    if (above == t.length) {
      return v[t.length - 1];
    }
    double f = (at - t[above - 1]) / (t[above] - t[above - 1]);
    return v[above - 1] + f * (v[above] - v[above - 1]);
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


}
