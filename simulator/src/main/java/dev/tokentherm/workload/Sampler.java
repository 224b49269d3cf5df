package dev.tokentherm.workload;

import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.scenario.Distribution;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.GeometricDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;

/**
 * Draws from a scenario {@link Distribution} on a given random stream, with the parameters meaning
 * what their names say: lognormal median m ⇒ μ = ln m; geometric mean m counts values ≥ 1 (Commons
 * Math counts failures from 0, so we add one with p = 1/m). Draws are clamped into [min, max].
 */
public final class Sampler {
  private final Distribution spec;
  private final double lo;
  private final double hi;

  public Sampler(Distribution spec) {
    this.spec = spec;
    this.lo = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
    this.hi = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
  }

  public double sample(SplitMix64 stream) {
    StreamRandom random = new StreamRandom(stream);
    double x = switch (spec.distribution()) {
      case "constant" -> spec.value();
      case "exponential" -> new ExponentialDistribution(random, spec.mean()).sample();
      case "lognormal" -> new LogNormalDistribution(random, StrictMath.log(spec.median()), spec.sigma()).sample();
      case "geometric" -> 1 + new GeometricDistribution(random, 1.0 / spec.mean()).sample();
      case "uniform" -> spec.min().equals(spec.max()) ? spec.min()
          : new UniformRealDistribution(random, spec.min(), spec.max()).sample();
      default -> throw new IllegalStateException("unvalidated distribution " + spec.distribution());
    };
    return Math.min(hi, Math.max(lo, x));
  }

  /** A whole count ≥ 1 (tokens, turns): rounded to nearest. */
  public int sampleCount(SplitMix64 stream) {
    double x = sample(stream);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(x)));
  }
}
