package dev.tokentherm.workload;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.scenario.Arrival;
import java.util.List;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * Gaps between conversation starts of an open arrival process, drawn from the workload's own
 * stream: Poisson (exponential gaps), uniform, gamma with a coefficient of variation (shape 1/cv²:
 * bursty above 1), or a diurnal Poisson process whose rate follows a piecewise-linear curve,
 * sampled by thinning (candidates at the peak rate, each kept with probability rate(t) / peak).
 */
public final class ArrivalProcess {
  private final Arrival spec;
  private final SplitMix64 stream;
  private final StreamRandom random;
  private final double meanGapS;
  private final double peakMultiplier;

  public ArrivalProcess(Arrival spec, SplitMix64 stream) {
    this.spec = spec;
    this.stream = stream;
    this.random = new StreamRandom(stream);
    this.meanGapS = spec.ratePerS() == null ? 0 : 1.0 / spec.ratePerS();
    double peak = 0;
    if (spec.rateCurve() != null) {
      for (Arrival.RatePoint p : spec.rateCurve()) {
        peak = Math.max(peak, p.multiplier());
      }
    }
    this.peakMultiplier = peak;
  }

  /** The gap from {@code nowNs} to the next start, ns; Long.MAX_VALUE when the rate is zero for good. */
  public long nextGapNs(long nowNs) {
    return switch (spec.process()) {
      case "poisson" -> Durations.toNanos(new ExponentialDistribution(random, meanGapS).sample());
      case "uniform" -> Durations.toNanos(meanGapS);
      case "gamma" -> {
        double shape = 1 / (spec.cv() * spec.cv());
        yield Durations.toNanos(new GammaDistribution(random, shape, meanGapS / shape).sample());
      }
      case "diurnal" -> diurnalGap(nowNs);
      default -> throw new IllegalStateException("not an open process: " + spec.process());
    };
  }

  private long diurnalGap(long nowNs) {
    if (peakMultiplier <= 0) {
      return Long.MAX_VALUE;
    }
    double peakGap = meanGapS / peakMultiplier;
    double t = nowNs * 1e-9;
    double start = t;
    for (int tries = 0; tries < 1_000_000; tries++) {
      t += new ExponentialDistribution(random, peakGap).sample();
      if (stream.nextDouble() * peakMultiplier < multiplierAt(t)) {
        return Math.max(1, Durations.toNanos(t - start));
      }
    }
    return Long.MAX_VALUE; // the curve is zero almost everywhere
  }

  /** The rate multiplier at time t (s), linear between the curve's points, periodic. */
  public double multiplierAt(double tS) {
    List<Arrival.RatePoint> curve = spec.rateCurve();
    double x = tS % spec.periodS();
    Arrival.RatePoint first = curve.get(0);
    Arrival.RatePoint last = curve.get(curve.size() - 1);
    if (x <= first.tS() || x >= last.tS()) { // wrap from the last point to the first one
      double span = first.tS() + spec.periodS() - last.tS();
      double into = x >= last.tS() ? x - last.tS() : x + spec.periodS() - last.tS();
      return span <= 0 ? last.multiplier() : last.multiplier() + (first.multiplier() - last.multiplier()) * into / span;
    }
    for (int i = 1; i < curve.size(); i++) {
      Arrival.RatePoint b = curve.get(i);
      if (x <= b.tS()) {
        Arrival.RatePoint a = curve.get(i - 1);
        return a.multiplier() + (b.multiplier() - a.multiplier()) * (x - a.tS()) / (b.tS() - a.tS());
      }
    }
    return last.multiplier();
  }
}
