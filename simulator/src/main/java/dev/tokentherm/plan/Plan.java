package dev.tokentherm.plan;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import dev.tokentherm.experiment.Treatment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A plan file as written (schemas/plan.schema.json is derived from these records). */
@Doc("A tokentherm capacity plan: candidate configurations of one base scenario, the load axis searched, SLOs and"
    + " the objective that ranks the candidates")
public record Plan(
    @Required @Doc("the base scenario file, relative to the plan file") String base,
    @Default("[]") @Doc("--set assignments applied to every candidate before its own (e.g. run length, pre-aged"
        + " start)") List<String> sets,
    @Required @MinSize(1) @Doc("the configurations compared, each the base scenario plus --set assignments")
    List<Candidate> candidates,
    @Required @Doc("the axis searched by bisection: an arrival rate or a replica count") Search search,
    @Default("3") @Range(min = 1, max = MAX_REPLICATIONS)
    @Doc("runs per probe, replication r with seed (scenario seed + r × 0x9E3779B97F4A7C15) mod 2^63") int replications,
    @Required @Doc("what a probe must meet to count towards the SLO capacity") Slo slo,
    @Default("cost") @OneOf({"cost", "energy_per_token", "energy_per_turn", "gpus", "peak_temperature"})
    @Doc("what ranks the candidates at their SLO capacity, lowest first: cost: US$ per hour per unit of load;"
        + " energy_per_token: J per output token; energy_per_turn: J per turn (window GPU energy / completed"
        + " requests); gpus: GPUs per unit of load; peak_temperature: the hottest GPU's peak °C (summary"
        + " thermal.gpu_peak_c, mean over the replications)") String objective,
    @Default("{}") @Doc("price of one GPU-hour in US dollars by GPU profile id (e.g. h100-sxm), with its source")
    Map<String, Sourced> gpuHourUsd) implements Validatable {

  /** Most replications per probe. */
  public static final int MAX_REPLICATIONS = 100;
  /** Most probes one search may make (bisection steps are bounded by the bracket and tolerance). */
  public static final int MAX_STEPS = 40;

  static final Pattern PATH = Treatment.SET_PATH;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** One configuration compared. */
  @Doc("One configuration: the base scenario plus --set assignments")
  public record Candidate(
      @Required @Doc("how tables name it: letters, digits, - _ .") String name,
      @Default("[]") @Doc("--set assignments, e.g. cluster.nodes[0].profile=dgx-h200 or"
          + " deployments[0].scheduler.policy=sarathi") List<String> sets,
      @Doc("price of one GPU-hour of this candidate in US dollars, with its source (overrides gpu_hour_usd)")
      Sourced gpuHourUsd) implements Validatable {
    @Override
    public void validate(Validation v) {
      if (!NAME.matcher(name).matches()) {
        v.error("name", "'" + name + "' is not a name; allowed: letters, digits, '-', '_' and '.', starting with a"
            + " letter or digit");
      }
      checkSets(v, "sets", sets);
    }
  }

  /** The axis searched. */
  @Doc("The axis searched by bisection")
  public record Search(
      @Required @Doc("the --set path of the axis, e.g. workload[0].conversations.arrival.rate_per_s or"
          + " deployments[0].replicas") String path,
      @Default("load") @OneOf({"load", "resources"})
      @Doc("load: a higher value is harder to serve (an arrival rate; the capacity is the highest value that"
          + " passes); resources: a higher value is easier (a replica count; the capacity is the lowest value"
          + " that passes)") String kind,
      @Required @Doc("the bracket's low end") double min,
      @Required @Doc("the bracket's high end") double max,
      @Required @Range(min = 0, minExclusive = true)
      @Doc("stop when the passing and failing values are this close (in the axis's unit)") double tolerance,
      @Default("false") @Doc("whole values only (a replica count); the bisection stops at adjacent integers")
      boolean integer,
      @Default("load units") @Doc("how tables name the axis's unit, e.g. conversations/s") String unit)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      if (!PATH.matcher(path).matches()) {
        v.error("path", "'" + path + "' is not a field path; allowed: keys and [index] joined by dots, e.g."
            + " workload[0].conversations.arrival.rate_per_s");
      }
      if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
        v.error("max", "is " + max + ", not above min " + min + "; allowed: a bracket with max > min");
      } else {
        double width = integer ? Math.max(tolerance, 1) : tolerance;
        if (Bisection.steps(max - min, width) > MAX_STEPS) {
          v.error("tolerance", "is " + tolerance + ": " + Bisection.steps(max - min, width) + " bisection steps"
              + " across the bracket; allowed: at most " + MAX_STEPS + " steps (a larger tolerance)");
        }
      }
      if (integer && (min != Math.rint(min) || max != Math.rint(max))) {
        v.error("min", "bracket " + min + " to " + max + " is not whole; allowed: whole numbers with integer: true");
      }
      if (kind.equals("resources") && !integer) {
        v.error("integer", "is false for a resources axis; allowed: true (a replica count is a whole number)");
      }
    }

    /** Whether a higher value is harder to serve. */
    public boolean isLoad() {
      return kind.equals("load");
    }

    /** The bracket's end that is easiest to serve: min for a load, max for resources. */
    public double easy() {
      return isLoad() ? min : max;
    }

    public double hard() {
      return isLoad() ? max : min;
    }

    /** The value as --set takes it: whole numbers without a decimal point. */
    public String format(double value) {
      return Bisection.format(value);
    }
  }

  /** What a probe must meet. */
  @Doc("SLOs: the scenario's attainment share and/or percentile bounds, on the mean over replications")
  public record Slo(
      @Default("true") @Doc("the scenario's slo block: mean slo.attainment over the replications at least its"
          + " target") boolean attainment,
      @Default("[]") @Doc("bounds on the mean over replications, e.g. 'ttft_p90_ms <= 2000', 'tbt_p99_ms <= 200';"
          + " metrics: " + SloBound.ALLOWED) List<String> bounds,
      @Default("true") @Doc("every replication's measurement window in steady state (summary"
          + " window.steady_state)") boolean steadyState) implements Validatable {
    @Override
    public void validate(Validation v) {
      if (!attainment && bounds.isEmpty()) {
        v.error("", "has neither attainment: true nor bounds; allowed: at least one of them");
      }
      for (int i = 0; i < bounds.size(); i++) {
        String problem = SloBound.problem(bounds.get(i));
        if (problem != null) {
          v.error("bounds[" + i + "]", problem);
        }
      }
    }

    /** The bounds, parsed (they validated). */
    public List<SloBound> parsedBounds() {
      return bounds.stream().map(SloBound::parse).toList();
    }
  }

  @Override
  public void validate(Validation v) {
    checkSets(v, "sets", sets);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (!names.add(candidates.get(i).name())) {
        v.error("candidates[" + i + "].name", "'" + candidates.get(i).name() + "' names an earlier candidate;"
            + " allowed: each name once");
      }
    }
    for (Map.Entry<String, Sourced> price : gpuHourUsd.entrySet()) {
      if (!(price.getValue().value() > 0)) {
        v.error("gpu_hour_usd." + price.getKey() + ".value", "is " + price.getValue().value()
            + "; allowed: a price above 0");
      }
    }
    for (int i = 0; i < candidates.size(); i++) {
      Sourced own = candidates.get(i).gpuHourUsd();
      if (own != null && !(own.value() > 0)) {
        v.error("candidates[" + i + "].gpu_hour_usd.value", "is " + own.value() + "; allowed: a price above 0");
      }
    }
  }

  private static void checkSets(Validation v, String field, List<String> sets) {
    for (int i = 0; i < sets.size(); i++) {
      String s = sets.get(i);
      int eq = s.indexOf('=');
      if (eq <= 0 || !PATH.matcher(s.substring(0, eq).strip()).matches()) {
        v.error(field + "[" + i + "]", "'" + s + "' is not an assignment; allowed: PATH=VALUE as run --set takes"
            + " it, e.g. deployments[0].replicas=4");
      }
    }
  }
}
