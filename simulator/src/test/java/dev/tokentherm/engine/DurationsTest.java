package dev.tokentherm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void roundsToNearestNanosecond() {
    assertThat(Durations.toNanos(1.5e-9)).isEqualTo(2);
    assertThat(Durations.toNanos(1.4e-9)).isEqualTo(1);
    assertThat(Durations.toNanos(2.6e-9)).isEqualTo(3);
    assertThat(Durations.toNanos(123.456789012)).isEqualTo(123_456_789_012L);
  }

  @Test
  void neverRoundsAPositiveDurationToZero() {
    assertThat(Durations.toNanos(0.4e-9)).isEqualTo(1);
    assertThat(Durations.toNanos(Double.MIN_VALUE)).isEqualTo(1);
    assertThat(Durations.toNanos(0.0)).isZero();
  }

  @Test
  void exactValuesStayExact() {
    assertThat(Durations.toNanos(1.0)).isEqualTo(1_000_000_000L);
    assertThat(Durations.toNanos(1e-3)).isEqualTo(1_000_000L);
    assertThat(Durations.toNanos(1e-6)).isEqualTo(1_000L);
    assertThat(Durations.toNanos(1e-9)).isEqualTo(1L);
    assertThat(Durations.toNanos(86_400.0)).isEqualTo(86_400_000_000_000L);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e-9, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 1e10})
  void rejectsNegativeNonFiniteAndOverflowingDurations(double seconds) {
    assertThatThrownBy(() -> Durations.toNanos(seconds))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void convertsNanosecondsBackToSeconds() {
    assertThat(Durations.toSeconds(1_500_000_000L)).isEqualTo(1.5);
    assertThat(Durations.toSeconds(1L)).isEqualTo(1e-9);
    assertThat(Durations.toSeconds(0L)).isZero();
    long nanos = 987_654_321_123L;
    assertThat(Durations.toNanos(Durations.toSeconds(nanos))).isEqualTo(nanos);
  }
}
