package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

@Doc("Measurement window: requests arriving inside it count in percentiles and rates")
public record Measure(
    @Default("0") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("start of the window, seconds of simulated time") double warmupS,
    @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("end of the window; default: the horizon") Double endS)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    if (endS != null && endS <= warmupS) {
      v.error("end_s", "is " + endS + ", not after warmup_s " + warmupS + "; the window must have a length");
    }
  }
}
