package dev.tokentherm.plan;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.experiment.SummaryCells;
import dev.tokentherm.results.ConfidenceInterval;
import dev.tokentherm.results.Decimals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A plan's tables: {@code plan.csv}, one row per probe in the order made (candidate, value,
 * replication statistics as mean and 95 % half-width, the verdicts and why), and {@code plan.md},
 * each candidate's capacities and the ranking. Both are made from the runs' summaries only, so a
 * rerun of the plan (its runs read back) writes the same bytes.
 */
public final class PlanReport {
  /** The metrics every plan.csv row gives (mean and half-width over the replications). */
  static final List<String> METRICS = List.of(Verdict.ATTAINMENT, "latency.ttft_ms.p90", "latency.ttft_ms.p99",
      "latency.tbt_ms.p99", "throughput.output_tokens_per_s", "throughput.requests_per_s",
      "energy.j_per_output_token");

  private PlanReport() {}

  /** The metric columns of a plan: {@link #METRICS}, then its bounds' metrics not among them. */
  static List<String> metrics(Plan plan) {
    Set<String> keys = new LinkedHashSet<>(METRICS);
    for (SloBound b : plan.slo().parsedBounds()) {
      keys.add(b.key());
    }
    return new ArrayList<>(keys);
  }

  /** plan.csv's text. */
  public static String csv(Plan plan, List<PlanRunner.CandidateResult> results) {
    List<String> metrics = metrics(plan);
    StringBuilder out = new StringBuilder("candidate,probe,value,replications,runs,statuses,steady_windows");
    for (String m : metrics) {
      out.append(',').append(m).append("_mean,").append(m).append("_ci95");
    }
    out.append(",stable,slo,reason\n");
    for (PlanRunner.CandidateResult r : results) {
      for (Probe p : r.probes()) {
        StringJoiner row = new StringJoiner(",");
        row.add(plan.candidates().get(p.candidate()).name()).add(String.valueOf(p.number()))
            .add(Bisection.format(p.value())).add(String.valueOf(p.runs().size()));
        boolean stats = !p.verdict().stoppedEarly();
        row.add(stats ? String.valueOf(p.runs().size()) : "");
        StringJoiner statuses = new StringJoiner(" ");
        int steady = 0;
        for (RunRecord run : p.runs()) {
          statuses.add(run == null ? "-" : run.status());
          steady += run != null && SummaryCells.value(run.cells().get(Verdict.STEADY)) == 1 ? 1 : 0;
        }
        row.add(stats ? statuses.toString() : "").add(stats ? String.valueOf(steady) : "");
        for (String m : metrics) {
          ConfidenceInterval ci = stats ? interval(p.runs(), m) : new ConfidenceInterval(Double.NaN, Double.NaN, 0);
          row.add(cell(ci.mean())).add(cell(ci.halfWidth()));
        }
        row.add(p.verdict().stable() ? "pass" : "fail").add(p.verdict().slo() ? "pass" : "fail")
            .add(quote(p.verdict().reason()));
        out.append(row).append('\n');
      }
    }
    return out.toString();
  }

  /** plan.md's text: the plan, each candidate's capacities, the ranking. */
  public static String markdown(PlanFile file, List<PlanRunner.CandidateResult> results, List<Ranking.Entry> ranked) {
    Plan plan = file.plan();
    Plan.Search s = plan.search();
    String unit = s.unit();
    StringBuilder out = new StringBuilder();
    out.append("# Capacity plan\n\n");
    out.append("Base scenario `").append(plan.base()).append("`");
    if (!plan.sets().isEmpty()) {
      out.append(" with `").append(String.join("`, `", plan.sets())).append('`');
    }
    out.append(". Axis `").append(s.path()).append("` (").append(unit).append("), bracket ")
        .append(Bisection.format(s.min())).append(" to ").append(Bisection.format(s.max())).append(", tolerance ")
        .append(Bisection.format(s.tolerance())).append(", ").append(plan.replications())
        .append(" replications per probe.\n\n");
    out.append("SLO: ").append(sloText(plan.slo())).append(".\n\n");
    out.append("## Capacities\n\n");
    out.append("| candidate | stable capacity | SLO capacity | first failing | probes | runs |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (PlanRunner.CandidateResult r : results) {
      int runs = 0;
      for (Probe p : r.probes()) {
        runs += p.verdict().stoppedEarly() ? 0 : p.runs().size();
      }
      out.append("| ").append(plan.candidates().get(r.candidate()).name()).append(" | ")
          .append(capacity(r.stable(), s)).append(" | ").append(capacity(r.slo(), s)).append(" | ")
          .append(failing(r, s)).append(" | ").append(r.probes().size()).append(" | ").append(runs).append(" |\n");
    }
    out.append("\nA capacity is the last value that passed, within the tolerance of the first that failed;"
        + " the stable one needs no run to end unstable or stalled, the SLO one also the SLO. Runs: those of the"
        + " probes that ran every replication (a probe stopped early, by a run that ended unstable or stalled,"
        + " counts none: which of its runs were called off depends on timing).\n\n");
    out.append("## Ranking by ").append(plan.objective()).append("\n\n");
    String load = s.isLoad() ? unit : "requests/s";
    out.append("| rank | candidate | SLO capacity | load (").append(load).append(") | GPUs | US$/h | US$/h per ")
        .append(load).append(" | GPUs per ").append(load).append(" | J/output token | J/turn | hottest GPU °C |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    int rank = 0;
    for (Ranking.Entry e : ranked) {
      boolean has = !Double.isNaN(e.score(plan.objective()));
      out.append("| ").append(has ? String.valueOf(++rank) : "-").append(" | ").append(e.candidate()).append(" | ")
          .append(e.outcome() == Bisection.Outcome.NONE ? "none"
              : (e.outcome() == Bisection.Outcome.AT_LEAST ? beyond(s) : "") + Bisection.format(e.capacity()))
          .append(" | ").append(num(e.load())).append(" | ").append(num(e.gpus())).append(" | ")
          .append(num(e.usdPerHour())).append(" | ").append(num(e.usdPerHourPerLoad())).append(" | ")
          .append(num(e.gpusPerLoad())).append(" | ").append(num(e.jPerOutputToken())).append(" | ")
          .append(num(e.jPerTurn())).append(" | ").append(num(e.gpuPeakC())).append(" |\n");
    }
    List<String> prices = new ArrayList<>();
    for (int c = 0; c < plan.candidates().size(); c++) {
      for (String gpu : new LinkedHashSet<>(file.gpuOfDeployment(c).values())) {
        Sourced p = file.price(c, gpu);
        String line = gpu + ": " + num(p == null ? Double.NaN : p.value()) + " US$ per GPU-hour"
            + (p == null ? " (no price)" : " (" + p.source() + ")");
        if (!prices.contains(line)) {
          prices.add(line);
        }
      }
    }
    out.append("\nHottest GPU °C: summary thermal.gpu_peak_c at the SLO capacity (the cluster's hottest GPU over"
        + " the whole run), mean over the replications; objective peak_temperature ranks by it.\n");
    out.append("\nPrices: ").append(String.join("; ", prices)).append(".\n");
    return out.toString();
  }

  static String sloText(Plan.Slo slo) {
    List<String> parts = new ArrayList<>();
    if (slo.attainment()) {
      parts.add("the scenario's attainment (mean over replications ≥ its target)");
    }
    for (SloBound b : slo.parsedBounds()) {
      parts.add("mean " + b);
    }
    if (slo.steadyState()) {
      parts.add("every window in steady state");
    }
    return String.join(", ", parts);
  }

  /** The hard end passed: the capacity is at least it (a load) or at most it (a replica count). */
  private static String beyond(Plan.Search s) {
    return s.isLoad() ? "≥ " : "≤ ";
  }

  /** A capacity as tables and the console write it: the value, "≥ max" ("≤ min" for resources) or "none (EASY fails)". */
  public static String capacity(Bisection.Result r, Plan.Search s) {
    return switch (r.outcome()) {
      case NONE -> "none (" + Bisection.format(s.easy()) + " fails)";
      case AT_LEAST -> beyond(s) + Bisection.format(r.capacity());
      case FOUND -> Bisection.format(r.capacity());
    };
  }

  /** An entry's objective value with its unit, for the console. */
  public static String scoreText(Ranking.Entry e, String objective, Plan.Search s) {
    String load = s.isLoad() ? s.unit() : "requests/s";
    return switch (objective) {
      case "cost" -> num(e.usdPerHourPerLoad()) + " US$/h per " + load;
      case "energy_per_token" -> num(e.jPerOutputToken()) + " J per output token";
      case "energy_per_turn" -> num(e.jPerTurn()) + " J per turn";
      case "peak_temperature" -> num(e.gpuPeakC()) + " °C hottest GPU";
      default -> num(e.gpusPerLoad()) + " GPUs per " + load;
    };
  }

  private static String failing(PlanRunner.CandidateResult r, Plan.Search s) {
    return r.slo().outcome() == Bisection.Outcome.AT_LEAST ? "-" : Bisection.format(r.slo().failing());
  }

  private static ConfidenceInterval interval(List<RunRecord> runs, String key) {
    double[] v = new double[runs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = SummaryCells.value(runs.get(i).cells().get(key));
    }
    return ConfidenceInterval.of(v);
  }

  /** A CSV number: 10 significant digits (results.Decimals), empty for NaN. */
  static String cell(double v) {
    BigDecimal d = Decimals.of(v);
    return d == null ? "" : d.toPlainString();
  }

  /** A table number: 4 significant digits, "-" for NaN. */
  static String num(double v) {
    return Double.isFinite(v) ? Bisection.format(Verdict.round(v)) : "-";
  }

  private static String quote(String text) {
    return text.isEmpty() ? "" : "\"" + text.replace("\"", "\"\"") + "\"";
  }
}
