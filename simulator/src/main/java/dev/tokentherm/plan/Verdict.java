package dev.tokentherm.plan;

import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.experiment.SummaryCells;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a probe's replications say: whether the load is stable (no run ended {@code unstable} or
 * {@code stalled}, none failed to run) and whether it meets the plan's SLO (stable, the mean
 * attainment over the replications at least the scenario's target, each bound met by the mean
 * over the replications, every window in steady state), with the reasons it does not.
 *
 * @param stoppedEarly a run ended unstable or stalled, or failed: the probe's other runs may have
 *     been called off, so its statistics are not reported
 */
public record Verdict(boolean stable, boolean slo, boolean stoppedEarly, String reason) {
  static final String ATTAINMENT = "slo.attainment";
  static final String TARGET = "slo.target";
  static final String STEADY = "window.steady_state";

  /** Whether a run's status stops a probe early. */
  static boolean stops(RunRecord r) {
    return r != null && (!r.ok() || r.status().equals("unstable") || r.status().equals("stalled"));
  }

  /**
   * @param runs the probe's runs by replication; null for a run called off
   */
  public static Verdict of(List<RunRecord> runs, Plan.Slo slo) {
    TreeSet<String> ended = new TreeSet<>();
    String error = null;
    for (RunRecord r : runs) {
      if (r != null && !r.ok() && error == null) {
        error = r.error();
      } else if (stops(r)) {
        ended.add(r.status());
      }
    }
    if (error != null) {
      return new Verdict(false, false, true, "a run failed: " + error);
    }
    if (!ended.isEmpty()) {
      return new Verdict(false, false, true, "a run ended " + String.join(" and ", ended));
    }
    List<String> misses = new ArrayList<>();
    if (slo.attainment()) {
      double attainment = mean(runs, ATTAINMENT);
      double target = mean(runs, TARGET);
      if (!(attainment >= target)) {
        misses.add(Double.isNaN(attainment) ? "no attainment (no windowed requests)"
            : "attainment " + Bisection.format(round(attainment)) + " < " + Bisection.format(target));
      }
    }
    for (SloBound b : slo.parsedBounds()) {
      double value = mean(runs, b.key());
      if (!b.met(value)) {
        misses.add(b.name() + " " + (Double.isNaN(value) ? "missing" : Bisection.format(round(value))) + " > "
            + Bisection.format(b.limitMs()) + (b.strict() ? " or equal" : ""));
      }
    }
    if (slo.steadyState()) {
      int unsteady = 0;
      for (RunRecord r : runs) {
        if (SummaryCells.value(r.cells().get(STEADY)) != 1) {
          unsteady++;
        }
      }
      if (unsteady > 0) {
        misses.add("window not in steady state in " + unsteady + " of " + runs.size() + " runs");
      }
    }
    return new Verdict(true, misses.isEmpty(), false, String.join("; ", misses));
  }

  /** The mean of a metric over the runs (NaN when any lacks it). */
  static double mean(List<RunRecord> runs, String key) {
    double sum = 0;
    for (RunRecord r : runs) {
      sum += SummaryCells.value(r.cells().get(key));
    }
    return sum / runs.size();
  }

  /** Four significant digits for messages. */
  static double round(double v) {
    return Double.isFinite(v) && v != 0 ? new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue()
        : v;
  }
}
