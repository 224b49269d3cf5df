package dev.tokentherm.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallPartsTest {
  @ParameterizedTest
  @CsvSource({
      "2023-11-16 18:15:46.6805900, 2023-11-16T18:15:46.680590Z",
      "2023-11-16T18:15:46, 2023-11-16T18:15:46Z",
      "2024-02-29 00:00:00.000000001, 2024-02-29T00:00:00.000000001Z",
      "1969-12-31 23:59:59.5, 1969-12-31T23:59:59.5Z",
      "2023-11-16 18:15:46.9, 2023-11-16T18:15:46.9Z"})
  void azureTimestampsAreExactNanoseconds(String text, String instant) {
    Instant expected = Instant.parse(instant);
    long nanos = expected.getEpochSecond() * 1_000_000_000L + expected.getNano();
    assertThat(AzureTimestamp.epochNanos(text, 0, text.length())).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({"0, 0.0", "12500000000, 12.5", "13000000000, 13.0", "1, 0.000000001", "-500000000, -0.5"})
  void secondsForMessages(long nanos, String text) {
    assertThat(Seconds.text(nanos)).isEqualTo(text);
  }

  @Test
  void wholeNumbers() {
    assertThat(WholeNumbers.parse("007", 0, 3)).isEqualTo(7);
    assertThat(WholeNumbers.parse("x12y", 1, 3)).isEqualTo(12);
    assertThat(WholeNumbers.parse("", 0, 0)).isEqualTo(WholeNumbers.NOT_DIGITS);
    assertThat(WholeNumbers.parse("-1", 0, 2)).isEqualTo(WholeNumbers.NOT_DIGITS);
    assertThat(WholeNumbers.parse("0000000000000000000000042", 0, 25)).isEqualTo(42);
    assertThat(WholeNumbers.parse("999999999999999999", 0, 18)).isEqualTo(999_999_999_999_999_999L);
    assertThat(WholeNumbers.parse("1000000000000000000", 0, 19)).isEqualTo(Long.MAX_VALUE);
  }
}
