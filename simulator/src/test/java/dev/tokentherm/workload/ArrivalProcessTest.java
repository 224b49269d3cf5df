package dev.tokentherm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.engine.RandomStreams;
import dev.tokentherm.scenario.Arrival;
import dev.tokentherm.scenario.Distribution;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalProcessTest {
  private static final Distribution ZERO = new Distribution("constant", 0.0, null, null, null, null, null);

  private static double[] gapsS(Arrival a, int n) {
    ArrivalProcess p = new ArrivalProcess(a, RandomStreams.stream(3, 2, 0));
    double[] g = new double[n];
    long now = 0;
    for (int i = 0; i < n; i++) {
      long gap = p.nextGapNs(now);
      now += gap;
      g[i] = gap * 1e-9;
    }
    return g;
  }

  @Test
  void gammaGapsHaveTheRateAndTheCoefficientOfVariation() {
    // rate 4/s → mean gap 0.25 s; cv 3 → standard deviation 0.75 s
    double[] g = gapsS(new Arrival("gamma", 4.0, 3.0, null, 86400, null, ZERO, null), 200_000);
    double mean = java.util.Arrays.stream(g).average().orElseThrow();
    double var = java.util.Arrays.stream(g).map(x -> (x - mean) * (x - mean)).sum() / g.length;
    assertThat(mean).isCloseTo(0.25, within(0.01));
    assertThat(Math.sqrt(var) / mean).isCloseTo(3.0, within(0.15));
  }

  @Test
  void diurnalRateFollowsTheCurve() {
    // multiplier 0 at t = 0 rising to 2 at 50 s, back to 0 at 100 s (the period): mean multiplier 1
    Arrival a = new Arrival("diurnal", 10.0, 1, List.of(new Arrival.RatePoint(0, 0), new Arrival.RatePoint(50, 2)),
        100, null, ZERO, null);
    ArrivalProcess p = new ArrivalProcess(a, RandomStreams.stream(3, 2, 1));
    assertThat(p.multiplierAt(25)).isCloseTo(1.0, within(1e-12));
    assertThat(p.multiplierAt(75)).isCloseTo(1.0, within(1e-12));
    assertThat(p.multiplierAt(150)).isCloseTo(2.0, within(1e-12)); // periodic
    // over 100 periods: ~10/s on average, and the first half-period gets 1/4 of the arrivals
    long now = 0;
    int early = 0;
    int total = 0;
    while (now < 10_000_000_000_000L) {
      now += p.nextGapNs(now);
      if (now >= 10_000_000_000_000L) {
        break;
      }
      total++;
      if ((now / 1_000_000_000L) % 100 < 25) {
        early++;
      }
    }
    assertThat(total / 10_000.0).isCloseTo(10.0, within(0.3));
    assertThat((double) early / total).isCloseTo(0.125, within(0.01)); // ∫₀²⁵ (2t/50) dt / 100 = 12.5 %
  }
}
