package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

/**
 * A distribution by name and the parameters its name needs. Parameters mean what they say: a
 * lognormal {@code median} m gives μ = ln m; a geometric {@code mean} counts values ≥ min (≥ 1).
 */
@Doc("A distribution: constant(value), exponential(mean), lognormal(median, sigma), geometric(mean), uniform(min, max); min/max clamp the draws")
public record Distribution(
    @Required @OneOf({"constant", "exponential", "lognormal", "geometric", "uniform"}) @Doc("family") String distribution,
    @Doc("constant value") Double value,
    @Doc("mean (exponential, geometric)") Double mean,
    @Doc("median (lognormal)") Double median,
    @Doc("sigma of the underlying normal (lognormal)") Double sigma,
    @Doc("least value (uniform: lower bound; others: draws are clamped up to it)") Double min,
    @Doc("largest value (uniform: upper bound; others: draws are clamped down to it)") Double max)
    implements Validatable {

  @Override
  public void validate(Validation v) {
    switch (distribution) {
      case "constant" -> need(v, "value", value, true);
      case "exponential" -> need(v, "mean", mean, false);
      case "lognormal" -> {
        need(v, "median", median, false);
        need(v, "sigma", sigma, true);
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

  private static void need(Validation v, String field, Double x, boolean zeroAllowed) {
    if (x == null) {
      v.error(field, "is missing; this distribution needs it");
    } else if (!Double.isFinite(x) || x < 0 || (!zeroAllowed && x == 0)) {
      v.error(field, "is " + x + "; allowed: a " + (zeroAllowed ? "non-negative" : "positive") + " number");
    }
  }
}
