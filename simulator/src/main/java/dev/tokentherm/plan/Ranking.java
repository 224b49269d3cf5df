package dev.tokentherm.plan;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.experiment.SummaryCells;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Candidates ranked at their SLO capacity by the plan's objective, lowest first; a candidate
 * without an SLO capacity in the bracket comes last. Per candidate, from the probe at its capacity
 * (means over its replications; only the GPUs its deployments use):
 * <ul>
 *   <li>load: the capacity itself on a load axis; on a resources axis, where the capacity is a
 *       count, the offered request rate (summary little.request_rate_per_s)
 *   <li>cost: Σ deployments' GPUs × their profile's GPU-hour price / load (US$ per hour per unit)
 *   <li>energy_per_token: Σ deployments' window GPU energy / Σ their output tokens (J)
 *   <li>energy_per_turn: Σ deployments' window GPU energy / Σ their completed requests (J)
 *   <li>gpus: Σ deployments' GPUs / load
 *   <li>peak_temperature: the hottest GPU of the run (summary thermal.gpu_peak_c, the cluster's
 *       hottest die over the whole run), mean over the replications (°C): heat in the objective
 * </ul>
 */
public final class Ranking {
  /** The summary key of the hottest GPU's peak temperature. */
  static final String GPU_PEAK_C = "thermal.gpu_peak_c";

  private Ranking() {}

  /**
   * One candidate at its SLO capacity.
   *
   * @param usdPerHour its GPUs' price per hour, NaN when a price is missing
   * @param gpuPeakC the hottest GPU's peak temperature, mean over the replications (NaN: not reported)
   */
  public record Entry(String candidate, Bisection.Outcome outcome, double capacity, double load, double gpus,
      double usdPerHour, double jPerOutputToken, double jPerTurn, double gpuPeakC) {
    public double usdPerHourPerLoad() {
      return usdPerHour / load;
    }

    public double gpusPerLoad() {
      return gpus / load;
    }

    /** The value the objective ranks by (NaN: no capacity). */
    public double score(String objective) {
      if (outcome == Bisection.Outcome.NONE) {
        return Double.NaN;
      }
      return switch (objective) {
        case "cost" -> usdPerHourPerLoad();
        case "energy_per_token" -> jPerOutputToken;
        case "energy_per_turn" -> jPerTurn;
        case "gpus" -> gpusPerLoad();
        case "peak_temperature" -> gpuPeakC;
        default -> throw new IllegalArgumentException("objective " + objective);
      };
    }
  }

  /** The entries sorted by the objective, lowest first, those without a value last, ties in plan order. */
  public static List<Entry> rank(List<Entry> entries, String objective) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingDouble((Entry e) -> Double.isNaN(e.score(objective)) ? 1 : 0)
        .thenComparingDouble(e -> Double.isNaN(e.score(objective)) ? 0 : e.score(objective)));
    return sorted;
  }

  /** Every candidate's entry, ranked by the plan's objective. */
  public static List<Entry> rankAll(PlanFile file, List<PlanRunner.CandidateResult> results) {
    List<Entry> entries = new ArrayList<>();
    for (PlanRunner.CandidateResult r : results) {
      entries.add(of(file, r));
    }
    return rank(entries, file.plan().objective());
  }

  /** A candidate's entry from its searches. */
  public static Entry of(PlanFile file, PlanRunner.CandidateResult result) {
    Plan plan = file.plan();
    String name = plan.candidates().get(result.candidate()).name();
    Probe at = result.atCapacity();
    if (at == null) {
      return new Entry(name, result.slo().outcome(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN);
    }
    List<RunRecord> runs = at.runs();
    Map<String, String> gpuOf = file.gpuOfDeployment(result.candidate());
    double gpus = 0;
    double usd = 0;
    double gpuJ = 0;
    double tokens = 0;
    double turns = 0;
    for (Map.Entry<String, String> d : gpuOf.entrySet()) {
      String prefix = "by_deployment." + d.getKey() + ".";
      double n = SummaryCells.value(runs.get(0).cells().get(prefix + "gpus"));
      gpus += n;
      Sourced price = file.price(result.candidate(), d.getValue());
      usd += price == null ? Double.NaN : n * price.value();
      double j = Verdict.mean(runs, prefix + "gpu_j");
      gpuJ += j;
      tokens += j / Verdict.mean(runs, prefix + "j_per_output_token");
      turns += Verdict.mean(runs, prefix + "requests.completed");
    }
    double load = plan.search().isLoad() ? result.slo().capacity() : Verdict.mean(runs, "little.request_rate_per_s");
    return new Entry(name, result.slo().outcome(), result.slo().capacity(), load, gpus, usd, gpuJ / tokens,
        gpuJ / turns, Verdict.mean(runs, GPU_PEAK_C));
  }
}
