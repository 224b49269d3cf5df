package dev.tokentherm.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** How a comparison puts seeds sampled at different times on one time axis. */
class CompareChartsTest {
  private static final double[] T = {2, 4, 8};
  private static final double[] V = {10, 20, 0};

  @Test
  void interpolatesLinearlyBetweenSamples() {
    assertThat(CompareCharts.interpolate(T, V, 4)).isEqualTo(20); // a sample
    assertThat(CompareCharts.interpolate(T, V, 3)).isCloseTo(15, within(1e-12)); // halfway 10 → 20
    assertThat(CompareCharts.interpolate(T, V, 7)).isCloseTo(5, within(1e-12)); // 3/4 of 20 → 0
  }

  @Test
  void holdsTheEndValuesBeyondTheEnds() {
    assertThat(CompareCharts.interpolate(T, V, 0)).isEqualTo(10);
    assertThat(CompareCharts.interpolate(T, V, 9)).isEqualTo(0);
  }
}
