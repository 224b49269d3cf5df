package dev.tokentherm.plan;

import dev.tokentherm.report.Chart;
import dev.tokentherm.report.HtmlPage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * plan.html, beside plan.md: per candidate, its probes drawn (report.HtmlPage, ECharts inlined,
 * opens offline): the mean SLO attainment over the replications against the searched value, one
 * series for the probes that met the SLO, one for those that missed it (stable probes that did not
 * meet it: attainment, a bound or a window not in steady state), on a second axis the share of
 * the replications whose window is in steady state, marks at the stable and SLO capacities and at
 * the attainment target. A probe stopped early (a run ended unstable or stalled)
 * has no statistics and is not drawn. The tables are plan.md's.
 */
public final class PlanHtml {
  public static final String FILE = "plan.html";
  public static final String MEETS = "meets the SLO";
  public static final String MISSES = "misses the SLO (stable)";
  public static final String STEADY = "share of windows in steady state";

  private PlanHtml() {}

  /** plan.html's text. */
  public static String of(PlanFile file, List<PlanRunner.CandidateResult> results) {
    Plan plan = file.plan();
    HtmlPage page = new HtmlPage("Capacity plan");
    page.paragraph("Base scenario " + plan.base() + ", axis " + plan.search().path() + " (" + plan.search().unit()
        + "), " + plan.replications() + " replications per probe. SLO: " + PlanReport.sloText(plan.slo())
        + ". Each probe's mean attainment over its replications against its value; probes stopped early (a run"
        + " ended unstable or stalled) are not drawn. The capacities and the ranking are in plan.md.");
    for (Chart c : charts(file, results)) {
      page.chart(c);
    }
    return page.render();
  }

  /** One chart per candidate, in the plan's order. */
  public static List<Chart> charts(PlanFile file, List<PlanRunner.CandidateResult> results) {
    Plan plan = file.plan();
    List<Chart> charts = new ArrayList<>();
    for (PlanRunner.CandidateResult r : results) {
      String name = plan.candidates().get(r.candidate()).name();
      List<Probe> drawn = new ArrayList<>();
      for (Probe p : r.probes()) {
        if (!p.verdict().stoppedEarly()) {
          drawn.add(p);
        }
      }
      drawn.sort(Comparator.comparingDouble(Probe::value));
      Chart c = new Chart("chart-probes-" + r.candidate(), name + ": mean SLO attainment by probe", "scatter",
          plan.search().unit(), "mean attainment");
      series(c, MEETS, drawn, true);
      series(c, MISSES, drawn, false);
      double[] x = new double[drawn.size()];
      double[] steady = new double[drawn.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = drawn.get(i).value();
        steady[i] = Verdict.mean(drawn.get(i).runs(), Verdict.STEADY);
      }
      c.series(STEADY, x, steady, 1).secondAxis("share of windows in steady state");
      c.markX("stable capacity", r.stable().capacity());
      c.markX("SLO capacity", r.slo().capacity());
      if (!drawn.isEmpty()) {
        c.markY("attainment target", Verdict.mean(drawn.get(0).runs(), Verdict.TARGET));
      }
      charts.add(c);
    }
    return charts;
  }

  private static void series(Chart c, String name, List<Probe> probes, boolean meets) {
    List<Probe> these = new ArrayList<>();
    for (Probe p : probes) {
      if (p.verdict().slo() == meets) {
        these.add(p);
      }
    }
    double[] x = new double[these.size()];
    double[] y = new double[these.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = these.get(i).value();
      y[i] = Verdict.mean(these.get(i).runs(), Verdict.ATTAINMENT);
    }
    c.series(name, x, y);
  }
}
