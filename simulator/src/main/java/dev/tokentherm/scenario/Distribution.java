package dev.tokentherm.scenario;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A distribution by name and the parameters its name needs. Parameters mean what they say: a
 * lognormal {@code median} m gives μ = ln m; a geometric {@code mean} counts values ≥ min (≥ 1).
 * A parameter the family does not use is an error (it would be ignored silently).
 */
@Doc("A distribution: constant(value), exponential(mean), lognormal(median, sigma), geometric(mean), uniform(min, max); min/max clamp the draws of exponential, lognormal and geometric")
public record Distribution(
    @Required @OneOf({"constant", "exponential", "lognormal", "geometric", "uniform"}) @Doc("family") String distribution,
    @Doc("constant value") Double value,
    @Doc("mean (exponential, geometric)") Double mean,
    @Doc("median (lognormal)") Double median,
    @Doc("sigma of the underlying normal (lognormal), > 0 and ≤ 10") Double sigma,
    @Doc("least value (uniform: lower bound; exponential, lognormal, geometric: draws are clamped up to it)") Double min,
    @Doc("largest value (uniform: upper bound; exponential, lognormal, geometric: draws are clamped down to it)") Double max)
    implements Validatable {

  /** Largest lognormal sigma: e^(10·z) already spans 40 orders of magnitude at 4 standard deviations. */
  public static final double MAX_SIGMA = 10;

  /** The parameters each family reads. */
  private static final Map<String, List<String>> USES = Map.of(
      "constant", List.of("value"),
      "exponential", List.of("mean", "min", "max"),
      "lognormal", List.of("median", "sigma", "min", "max"),
      "geometric", List.of("mean", "min", "max"),
      "uniform", List.of("min", "max"));

  @Override
  public void validate(Validation v) {
    List<String> uses = USES.getOrDefault(distribution, List.of());
    String[] names = {"value", "mean", "median", "sigma", "min", "max"};
    Double[] values = {value, mean, median, sigma, min, max};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null && !uses.contains(names[i])) {
        v.error(names[i], "is not used by a " + distribution + " distribution; allowed: "
            + String.join(", ", uses) + " (and distribution)");
      }
    }
    switch (distribution) {
      case "constant" -> need(v, "value", value, true);
      case "exponential" -> need(v, "mean", mean, false);
      case "lognormal" -> {
        need(v, "median", median, false);
        need(v, "sigma", sigma, false);
        if (sigma != null && sigma > MAX_SIGMA) {
          v.error("sigma", "is " + Allowed.number(sigma) + "; allowed: a number > 0 and ≤ "
              + Allowed.number(MAX_SIGMA));
        }
      }
      case "geometric" -> {
        need(v, "mean", mean, false);
        if (mean != null && mean < 1) {
          v.error("mean", "is " + mean + "; a geometric mean counts values ≥ 1, so it must be ≥ 1");
        }
      }
      case "uniform" -> {
        need(v, "min", min, true);
        need(v, "max", max, true);
      }
      default -> { }
    }
    if (min != null && max != null && max < min) {
      v.error("max", "is " + max + ", below min " + min + "; allowed: max ≥ min");
    }
  }

  /** The largest value a draw can take: +∞ when nothing bounds it. */
  public double largestDraw() {
    return switch (distribution) {
      case "constant" -> value;
      case "uniform" -> max;
      default -> max == null ? Double.POSITIVE_INFINITY : max;
    };
  }

  /**
   * Each given parameter above {@code limit}, as (field, value) pairs: a distribution of seconds
   * must stay inside what the clock holds.
   */
  public List<String> parametersAbove(double limit) {
    List<String> fields = new ArrayList<>();
    String[] names = {"value", "mean", "median", "min", "max"};
    Double[] values = {value, mean, median, min, max};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null && values[i] > limit) {
        fields.add(names[i]);
      }
    }
    return fields;
  }

  /** The value of a parameter by name (for messages). */
  public Double parameter(String name) {
    return switch (name) {
      case "value" -> value;
      case "mean" -> mean;
      case "median" -> median;
      case "sigma" -> sigma;
      case "min" -> min;
      case "max" -> max;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static void need(Validation v, String field, Double x, boolean zeroAllowed) {
    if (x == null) {
      v.error(field, "is missing; this distribution needs it");
    } else if (!Double.isFinite(x) || x < 0 || (!zeroAllowed && x == 0)) {
      v.error(field, "is " + x + "; allowed: a " + (zeroAllowed ? "non-negative" : "positive") + " number");
    }
  }

  /**
   * Checks a distribution used as seconds (think time, user idle time): its parameters at most
   * {@link Limits#MAX_SECONDS}. Draws are clamped to that limit too (an unbounded tail).
   */
  static void checkSeconds(Validation v, String field, Distribution d) {
    if (d == null) {
      return;
    }
    for (String p : d.parametersAbove(Limits.MAX_SECONDS)) {
      v.error(field + "." + p, "is " + Allowed.number(d.parameter(p)) + " s; allowed: at most "
          + Allowed.number(Limits.MAX_SECONDS) + " s (the clock counts nanoseconds in a long)");
    }
  }

  /**
   * Checks a distribution used as a count (turns, tokens): draws are rounded to whole numbers
   * and raised to 1, so one that can only draw values that round to 0 is an error, not a silent 1.
   */
  static void checkCount(Validation v, String field, Distribution d, String why) {
    if (d != null && d.largestDraw() < 0.5) {
      v.error(field, "can only draw " + Allowed.number(d.largestDraw()) + " or less, which rounds to 0; "
          + "allowed: a distribution that can draw ≥ 1 (" + why + ")");
    }
  }
}
