package dev.tokentherm.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepPointsTest {
  private static Sweep.Axis values(String path, String... v) {
    return new Sweep.Axis(path, List.of(v), null, false, false, null);
  }

  private static Sweep.Axis range(String path, double min, double max, boolean integer, boolean log) {
    return new Sweep.Axis(path, null, new Sweep.Bounds(min, max), integer, log, null);
  }

  @Test
  void gridIsEveryCombinationLastAxisFastest() {
    assertThat(SweepPoints.grid(List.of(values("a", "1", "2"), values("b", "x", "y", "z")))).containsExactly(
        List.of("1", "x"), List.of("1", "y"), List.of("1", "z"), List.of("2", "x"), List.of("2", "y"), List.of("2", "z"));
  }

  @Test
  void zipTakesTheIthValueOfEveryAxis() {
    assertThat(SweepPoints.zip(List.of(values("a", "1", "2", "3"), values("b", "x", "y", "z")))).containsExactly(
        List.of("1", "x"), List.of("2", "y"), List.of("3", "z"));
  }

  /** n samples cut each axis's range into n strata of width (max − min) / n; each is hit exactly once. */
  @Test
  void latinHypercubeHitsEachStratumOfEachAxisOnce() {
    int n = 10;
    List<List<String>> points = SweepPoints.lhs(List.of(range("a", 0, 10, false, false),
        range("b", 100, 200, false, false), values("c", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y")), n, 7);
    assertThat(points).hasSize(n);
    Set<Integer> a = new HashSet<>();
    Set<Integer> b = new HashSet<>();
    Set<String> c = new HashSet<>();
    for (List<String> p : points) {
      double x = Double.parseDouble(p.get(0));
      double y = Double.parseDouble(p.get(1));
      assertThat(x).isBetween(0.0, 10.0);
      assertThat(y).isBetween(100.0, 200.0);
      a.add((int) Math.floor(x / 1.0)); // strata of width 10 / 10 = 1
      b.add((int) Math.floor((y - 100) / 10.0)); // strata of width 100 / 10 = 10
      c.add(p.get(2)); // 10 values, 10 samples: every value once
    }
    assertThat(a).hasSize(n);
    assertThat(b).hasSize(n);
    assertThat(c).hasSize(n);
  }

  @Test
  void randomDrawsAreReproducibleAndInRange() {
    List<Sweep.Axis> axes = List.of(range("a", 1, 1000, true, true), values("b", "x", "y"));
    List<List<String>> first = SweepPoints.random(axes, 50, 3);
    assertThat(SweepPoints.random(axes, 50, 3)).isEqualTo(first);
    assertThat(SweepPoints.random(axes, 50, 4)).isNotEqualTo(first);
    for (List<String> p : first) {
      assertThat(Long.parseLong(p.get(0))).isBetween(1L, 1000L);
      assertThat(p.get(1)).isIn("x", "y");
    }
  }

  /** At u: linear min + u·(max − min); log exp(ln min + u·(ln max − ln min)); integer rounds. */
  @Test
  void rangeValuesByHand() {
    assertThat(SweepPoints.value(range("a", 2, 4, false, false), 0.25)).isEqualTo("2.5");
    assertThat(SweepPoints.value(range("a", 1, 100, false, true), 0.5)).isEqualTo("10"); // e^(ln 100 / 2) = 10
    assertThat(SweepPoints.value(range("a", 1, 8, true, false), 0.5)).isEqualTo("5"); // 4.5 rounds to 5
    assertThat(SweepPoints.value(values("a", "p", "q", "r"), 0.5)).isEqualTo("q"); // floor(0.5 · 3) = 1
    List<String> all = new ArrayList<>();
    for (double u : new double[] {0, 0.999999}) {
      all.add(SweepPoints.value(range("a", 2, 4, false, false), u));
    }
    assertThat(all).containsExactly("2", "3.999998");
  }

  @Test
  void paretoFrontByHand() {
    // maximise both: (1, 5) and (3, 3) and (4, 1) trade off; (2, 2) is dominated by (3, 3); NaN takes no part
    double[][] v = {{1, 5}, {2, 2}, {3, 3}, {4, 1}, {Double.NaN, 9}, {3, 3}};
    assertThat(Pareto.front(v, new boolean[] {true, true})).containsExactly(0, 2, 3, 5);
    // minimise the first, maximise the second: (1, 5) is best on both, so it alone is the front
    assertThat(Pareto.front(v, new boolean[] {false, true})).containsExactly(0);
  }
}
