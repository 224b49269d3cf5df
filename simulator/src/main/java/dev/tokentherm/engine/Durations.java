package dev.tokentherm.engine;

/**
 * The one place where model durations (double seconds) become clock time (long nanoseconds).
 * Rounding happens once, here, to nearest; a positive duration never becomes 0, so an event never
 * lands at the instant that caused it by accident of rounding.
 */
public final class Durations {
  public static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final double MAX_SECONDS = Long.MAX_VALUE / 1e9;

  private Durations() {}

  public static long toNanos(double seconds) {
    if (!(seconds >= 0) || seconds >= MAX_SECONDS) { // also catches NaN and +infinity
      throw new IllegalArgumentException(
          "duration must be finite, >= 0 s and < " + MAX_SECONDS + " s, was " + seconds);
    }
    long nanos = Math.round(seconds * 1e9);
    return nanos == 0 && seconds > 0 ? 1 : nanos;
  }

  public static double toSeconds(long nanos) {
    return nanos / 1e9;
  }
}
