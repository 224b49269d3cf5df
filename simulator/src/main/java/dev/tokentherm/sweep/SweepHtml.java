package dev.tokentherm.sweep;

import dev.tokentherm.report.Chart;
import dev.tokentherm.report.HtmlPage;
import dev.tokentherm.report.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * sweep.html, beside sweep.md: the Pareto fronts of {@link SweepFronts} drawn as scatter charts
 * (report.HtmlPage, ECharts inlined, opens offline): every eligible point as one series, the front
 * as another whose points are joined in the order of the x axis, and under each chart the front's
 * points with their axis values. The cost front (two or three objectives) is drawn on each pair of
 * its objectives: a point of a three-objective front may look dominated on one pair.
 */
public final class SweepHtml {
  public static final String FILE = "sweep.html";
  /** The name of the series that holds every eligible point. */
  public static final String POINTS = "points (runs all ok)";
  /** The name of the front's series. */
  public static final String FRONT = "Pareto front";

  private SweepHtml() {}

  /** The page's charts: the throughput front, then the cost front on each pair of its objectives. */
  public static List<Chart> charts(SweepFronts fronts) {
    List<Chart> charts = new ArrayList<>();
    charts.add(chart("chart-front-throughput", "Output tokens/s per GPU against tokens/s per user (more is better)",
        fronts.throughput(), 1, 0));
    SweepFronts.Front cost = fronts.cost();
    int n = cost.objectives().size();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        charts.add(chart("chart-front-cost-" + a + "-" + b, cost.objectives().get(b) + " against "
            + cost.objectives().get(a) + " (less is better)", cost, a, b));
      }
    }
    return charts;
  }

  /** sweep.html's text. */
  public static String of(SweepIndex.Header header, SweepFronts fronts) {
    HtmlPage page = new HtmlPage("Sweep " + header.sweepFile());
    page.paragraph("Base scenario " + header.base() + ", mode " + header.mode() + ", " + header.points().size()
        + " points × " + header.replications() + " replications. Pareto fronts over the " + fronts.eligible().size()
        + " points whose runs all ended ok (means over replications); the tables are sweep.md's.");
    List<Chart> charts = charts(fronts);
    page.heading("Output tokens/s per GPU against tokens/s per user");
    page.paragraph("Tokens/s per GPU = throughput.output_tokens_per_s / GPUs in use; tokens/s per user = 1000 /"
        + " latency.tpot_ms.p50. More is better on both; the front is the points no other point beats on both.");
    page.chart(charts.get(0));
    page.table(table(header, fronts, fronts.throughput()));
    page.heading("TBT p99 against J per output token" + (fronts.priced() ? " against $ per hour" : ""));
    page.paragraph("Less is better on each" + (fronts.priced() ? "; $ per hour = GPUs in use × "
        + header.gpuHourUsd().value() + " $ per GPU-hour (" + header.gpuHourUsd().source() + ")" : "")
        + ". The front is over all " + fronts.cost().objectives().size() + " objectives, drawn on each pair.");
    for (int i = 1; i < charts.size(); i++) {
      page.chart(charts.get(i));
    }
    page.table(table(header, fronts, fronts.cost()));
    return page.render();
  }

  /**
   * One chart of a front: objective {@code xk} across, {@code yk} up; every eligible point with
   * both values, then the front's points sorted by x (ties by y).
   */
  static Chart chart(String id, String title, SweepFronts.Front front, int xk, int yk) {
    double[][] v = front.values();
    List<double[]> all = new ArrayList<>();
    for (double[] row : v) {
      if (Double.isFinite(row[xk]) && Double.isFinite(row[yk])) {
        all.add(new double[] {row[xk], row[yk]});
      }
    }
    List<double[]> onFront = new ArrayList<>();
    for (int i : front.front()) {
      onFront.add(new double[] {v[i][xk], v[i][yk]});
    }
    onFront.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
    Chart c = new Chart(id, title, "scatter", front.objectives().get(xk), front.objectives().get(yk));
    c.series(POINTS, column(all, 0), column(all, 1));
    c.joinedSeries(FRONT, column(onFront, 0), column(onFront, 1));
    return c;
  }

  private static double[] column(List<double[]> points, int k) {
    double[] out = new double[points.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = points.get(i)[k];
    }
    return out;
  }

  private static Table table(SweepIndex.Header header, SweepFronts fronts, SweepFronts.Front front) {
    Table t = new Table("The front's points", SweepFronts.head(header, front).toArray(String[]::new));
    for (List<String> row : fronts.rows(header, front)) {
      t.row(row.toArray(String[]::new));
    }
    return t;
  }
}
