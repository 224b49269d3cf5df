package dev.tokentherm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BisectionTest {
  /**
   * True capacity 7.3 in [0, 10], tolerance 0.1: the ends, then ⌈log2(10 / 0.1)⌉ = ⌈6.64⌉ = 7
   * midpoints, by hand: 5 pass, 7.5 fail, 6.25 pass, 6.875 pass, 7.1875 pass, 7.34375 fail,
   * 7.265625 pass; 7.34375 − 7.265625 = 0.078125 ≤ 0.1 stops.
   */
  @Test
  void findsASyntheticCapacityWithinToleranceInLog2Steps() throws Exception {
    List<Double> asked = new ArrayList<>();
    Bisection.Result r = Bisection.search(0, 10, 0.1, false, v -> {
      asked.add(v);
      return v <= 7.3;
    });
    assertThat(Bisection.steps(10, 0.1)).isEqualTo(7);
    assertThat(asked).containsExactly(0.0, 10.0, 5.0, 7.5, 6.25, 6.875, 7.1875, 7.34375, 7.265625);
    assertThat(r.outcome()).isEqualTo(Bisection.Outcome.FOUND);
    assertThat(r.capacity()).isEqualTo(7.265625);
    assertThat(r.failing()).isEqualTo(7.34375);
    assertThat(r.probes()).isEqualTo(2 + 7);
    assertThat(r.failing() - r.capacity()).isLessThanOrEqualTo(0.1);
    assertThat(7.3).isBetween(r.capacity(), r.failing());
  }

  /** A replica count (resources: more is easier) from 16 down to 1; the fewest that pass is 5. */
  @Test
  void integerResourcesAxisStopsAtAdjacentCounts() throws Exception {
    List<Double> asked = new ArrayList<>();
    Bisection.Result r = Bisection.search(16, 1, 0.5, true, v -> {
      asked.add(v);
      return v >= 5;
    });
    // 16 pass, 1 fail, ceil(8.5) = 9 pass, (9 + 1) / 2 = 5 pass, 3 fail, 4 fail: 5 and 4 adjacent
    assertThat(asked).containsExactly(16.0, 1.0, 9.0, 5.0, 3.0, 4.0);
    assertThat(r.capacity()).isEqualTo(5);
    assertThat(r.failing()).isEqualTo(4);
  }

  @Test
  void anEasyEndThatFailsMeansNoCapacityAndAHardEndThatPassesAtLeastIt() throws Exception {
    List<Double> asked = new ArrayList<>();
    Bisection.Result none = Bisection.search(2, 10, 0.1, false, v -> {
      asked.add(v);
      return v <= 1;
    });
    assertThat(none.outcome()).isEqualTo(Bisection.Outcome.NONE);
    assertThat(none.capacity()).isNaN();
    assertThat(asked).containsExactly(2.0); // one probe
    Bisection.Result above = Bisection.search(2, 10, 0.1, false, v -> v <= 100);
    assertThat(above.outcome()).isEqualTo(Bisection.Outcome.AT_LEAST);
    assertThat(above.capacity()).isEqualTo(10);
    assertThat(above.probes()).isEqualTo(2);
  }

  @Test
  void valuesAreWrittenAsSetTakesThem() {
    assertThat(Bisection.format(19)).isEqualTo("19");
    assertThat(Bisection.format(7.265625)).isEqualTo("7.265625");
    assertThat(Bisection.format(0.5)).isEqualTo("0.5");
    assertThat(Bisection.format(Double.NaN)).isEmpty();
  }
}
