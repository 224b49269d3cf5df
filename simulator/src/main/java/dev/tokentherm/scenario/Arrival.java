package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

@Doc("Arrival process of conversations")
public record Arrival(
    @Required @OneOf({"poisson", "uniform", "gamma", "diurnal", "closed-loop"})
    @Doc("poisson: exponential gaps; uniform: evenly spaced; gamma: gaps with coefficient of variation cv (bursty"
        + " above 1); diurnal: Poisson with the rate following rate_curve; closed-loop: users each start a new"
        + " conversation when their previous one ends") String process,
    @Range(min = 0, minExclusive = true) @Doc("conversations started per second (poisson, uniform, gamma; diurnal: the curve's scale)") Double ratePerS,
    @Default("1") @Range(min = 0, minExclusive = true) @Doc("coefficient of variation of the gaps (gamma)") double cv,
    @Doc("diurnal: points {t_s, multiplier} of a piecewise-linear rate multiplier, repeating every period_s") List<RatePoint> rateCurve,
    @Default("86400") @Range(min = 0, minExclusive = true) @Doc("period of rate_curve, s (diurnal)") double periodS,
    @Range(min = 1) @Doc("concurrent users (closed-loop)") Integer users,
    @Default("{distribution: constant, value: 0}") @Doc("seconds a closed-loop user waits between conversations") Distribution userIdleS,
    @Range(min = 1) @Doc("stop after this many conversations (default: only the horizon limits them)") Long maxConversations)
    implements Validatable {

  @Doc("One point of a diurnal rate curve")
  public record RatePoint(
      @Required @Range(min = 0) @Doc("time within the period, s") double tS,
      @Required @Range(min = 0) @Doc("rate multiplier at that time") double multiplier) {}

  @Override
  public void validate(Validation v) {
    boolean needsRate = !process.equals("closed-loop");
    if (needsRate && ratePerS == null) {
      v.error("rate_per_s", "is missing; " + process + " arrivals need a rate");
    }
    if (process.equals("closed-loop") && users == null) {
      v.error("users", "is missing; closed-loop arrivals need a number of users");
    }
    if (process.equals("diurnal")) {
      if (rateCurve == null || rateCurve.size() < 2) {
        v.error("rate_curve", "needs at least two points {t_s, multiplier}");
      } else {
        for (int i = 1; i < rateCurve.size(); i++) {
          if (rateCurve.get(i).tS() <= rateCurve.get(i - 1).tS()) {
            v.error("rate_curve[" + i + "].t_s", "is not after the previous point; allowed: increasing times");
          }
        }
        if (rateCurve.get(rateCurve.size() - 1).tS() > periodS) {
          v.error("rate_curve", "ends after period_s " + periodS + "; allowed: points within the period");
        }
      }
    }
  }
}
