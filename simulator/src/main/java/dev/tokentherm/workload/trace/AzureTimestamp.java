package dev.tokentherm.workload.trace;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The Azure trace's text timestamps, {@code 2023-11-16 18:15:46.6805900} (UTC, 100-ns digits), as
 * exact nanoseconds since the epoch. Parsed by hand: no floating point, and up to 9 fraction
 * digits kept exactly.
 */
final class AzureTimestamp {
  /** Returned for text that is not such a timestamp. */
  static final long INVALID = Long.MIN_VALUE;

  static final String FORMAT = "yyyy-MM-dd HH:mm:ss[.fraction of up to 9 digits], UTC, years 1678–2261";

  private static final int SECONDS_LENGTH = 19; // "yyyy-MM-dd HH:mm:ss"

  private AzureTimestamp() {}

  static long epochNanos(CharSequence text, int from, int to) {
    if (to - from < SECONDS_LENGTH || !separatorsAt(text, from)) {
      return INVALID;
    }
    long year = WholeNumbers.parse(text, from, from + 4);
    long month = WholeNumbers.parse(text, from + 5, from + 7);
    long day = WholeNumbers.parse(text, from + 8, from + 10);
    long hour = WholeNumbers.parse(text, from + 11, from + 13);
    long minute = WholeNumbers.parse(text, from + 14, from + 16);
    long second = WholeNumbers.parse(text, from + 17, from + 19);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return INVALID;
    }
    long fractionNanos = fractionNanos(text, from + SECONDS_LENGTH, to);
    if (fractionNanos < 0) {
      return INVALID;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of((int) year, (int) month, (int) day).toEpochDay(); // checks 30 Feb
    } catch (DateTimeException e) {
      return INVALID;
    }
    long secondOfEpoch = ((epochDay * 24 + hour) * 60 + minute) * 60 + second;
    try {
      return Math.addExact(Math.multiplyExact(secondOfEpoch, Seconds.NANOS_PER_SECOND), fractionNanos);
    } catch (ArithmeticException e) {
      return INVALID; // beyond the ±292 years around 1970 that long nanoseconds hold
    }
  }

  private static boolean separatorsAt(CharSequence text, int from) {
    char dateTime = text.charAt(from + 10);
    return text.charAt(from + 4) == '-' && text.charAt(from + 7) == '-'
        && (dateTime == ' ' || dateTime == 'T')
        && text.charAt(from + 13) == ':' && text.charAt(from + 16) == ':';
  }

  /** ".6805900" → 680,590,000; nothing → 0; -1 if malformed or finer than 1 ns. */
  private static long fractionNanos(CharSequence text, int from, int to) {
    if (from == to) {
      return 0;
    }
    int digits = to - from - 1;
    if (text.charAt(from) != '.' || digits < 1 || digits > 9) {
      return -1;
    }
    long fraction = WholeNumbers.parse(text, from + 1, to);
    return fraction < 0 ? -1 : fraction * Seconds.fractionScale(digits);
  }
}
