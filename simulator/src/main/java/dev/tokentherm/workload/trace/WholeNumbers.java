package dev.tokentherm.workload.trace;

/** Plain decimal digits to a long, without the sign and the boxing that parseInt paths allow. */
final class WholeNumbers {
  /** Returned for text that is empty or holds anything but the digits 0–9 (a sign included). */
  static final long NOT_DIGITS = -1;

  private static final int MAX_DIGITS = 18; // every 18-digit number fits a long

  private WholeNumbers() {}

  /**
   * The number written in {@code text[from, to)}, {@link #NOT_DIGITS}, or {@link Long#MAX_VALUE}
   * for more digits than a long safely holds (any caller's maximum is below that).
   */
  static long parse(CharSequence text, int from, int to) {
    if (from >= to) {
      return NOT_DIGITS;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return NOT_DIGITS;
      }
      value = value * 10 + (c - '0');
    }
    int significant = to - from;
    for (int i = from; i < to - 1 && text.charAt(i) == '0'; i++) {
      significant--; // leading zeros do not overflow
    }
    return significant > MAX_DIGITS ? Long.MAX_VALUE : value;
  }
}
