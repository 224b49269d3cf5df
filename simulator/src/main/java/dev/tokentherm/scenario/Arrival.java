package dev.tokentherm.scenario;

import dev.tokentherm.config.Allowed;
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
    @Range(min = 0, max = Limits.MAX_RATE_PER_S, minExclusive = true) @Doc("conversations started per second (poisson, uniform, gamma; diurnal: the curve's scale)") Double ratePerS,
    @Default("1") @Range(min = 0.01, max = 10) @Doc("coefficient of variation of the gaps (gamma): shape 1/cv², from 10^4 to 0.01") double cv,
    @Doc("diurnal: points {t_s, multiplier} of a piecewise-linear rate multiplier, repeating every period_s") List<RatePoint> rateCurve,
    @Default("86400") @Range(min = 0, max = Limits.MAX_SECONDS, minExclusive = true) @Doc("period of rate_curve, s (diurnal)") double periodS,
    @Range(min = 1, max = Limits.MAX_USERS) @Doc("concurrent users (closed-loop)") Integer users,
    @Default("{distribution: constant, value: 0}") @Doc("seconds a closed-loop user waits between conversations") Distribution userIdleS,
    @Range(min = 1) @Doc("stop after this many conversations (default: only the horizon limits them)") Long maxConversations)
    implements Validatable {

  @Doc("One point of a diurnal rate curve")
  public record RatePoint(
      @Required @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("time within the period, s") double tS,
      @Required @Range(min = 0, max = 1e6) @Doc("rate multiplier at that time") double multiplier) {}

  @Override
  public void validate(Validation v) {
    boolean needsRate = !process.equals("closed-loop");
    if (needsRate && ratePerS == null) {
      v.error("rate_per_s", "is missing; " + process + " arrivals need a rate");
    }
    if (process.equals("closed-loop") && users == null) {
      v.error("users", "is missing; closed-loop arrivals need a number of users");
    }
    if (!needsRate && ratePerS != null) {
      v.error("rate_per_s", "is not used by closed-loop arrivals (users start conversations); allowed: users");
    }
    if (needsRate && users != null) {
      v.error("users", "is not used by " + process + " arrivals; allowed: rate_per_s (users are closed-loop)");
    }
    if (!process.equals("diurnal") && rateCurve != null) {
      v.error("rate_curve", "is not used by " + process + " arrivals; allowed: rate_curve with diurnal only");
    }
    Distribution.checkSeconds(v, "user_idle_s", userIdleS);
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
        double peak = 0;
        for (RatePoint p : rateCurve) {
          peak = Math.max(peak, p.multiplier());
        }
        if (ratePerS != null && ratePerS * peak > Limits.MAX_RATE_PER_S) {
          v.error("rate_curve", "peaks at " + Allowed.number(peak) + " × rate_per_s "
              + Allowed.number(ratePerS) + " = " + Allowed.number(ratePerS * peak)
              + " conversations per second; allowed: a peak rate ≤ " + Allowed.number(Limits.MAX_RATE_PER_S)
              + " (every started conversation is held until it ends)");
        }
      }
    }
  }
}
