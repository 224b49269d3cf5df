package dev.tokentherm.workload.trace;

import java.math.BigDecimal;

/** Exact conversions between decimal seconds text and nanoseconds. */
final class Seconds {
  static final int NANOS_PER_SECOND = 1_000_000_000;

  private Seconds() {}

  /** Nanoseconds as seconds for messages: {@code 12500000000 → "12.5"}, {@code 13 s → "13.0"}. */
  static String text(long nanos) {
    BigDecimal seconds = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    return (seconds.scale() < 1 ? seconds.setScale(1) : seconds).toPlainString();
  }

  /**
   * {@code 10^(9 - digits)}: the weight of the last of {@code digits} fraction digits in ns, so
   * that "68059" after the point is 680,590,000 ns without any floating point.
   */
  static long fractionScale(int digits) {
    long scale = 1;
    for (int i = digits; i < 9; i++) {
      scale *= 10;
    }
    return scale;
  }
}
