package dev.tokentherm.metrics;

import java.math.BigDecimal;

/**
 * Number formatting for results: decimal text from the exact binary value, rounded to a fixed
 * number of significant digits, so the bytes never depend on the JDK's Double.toString.
 */
public final class Num {
  private Num() {}

  /** The value rounded to 10 significant digits, or null for NaN / infinity (as summary.json writes it). */
  public static BigDecimal of(double x) {
    return dev.tokentherm.results.Decimals.of(x);
  }

  /** Plain decimal text with 10 significant digits, empty for NaN / infinity (CSV cells). */
  public static String text(double x) {
    if (!Double.isFinite(x)) {
      return "";
    }
    StringBuilder b = new StringBuilder(24);
    append(b, x);
    return b.toString();
  }

  private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
      100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
      10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
      100_000_000_000_000_000L};

  /**
   * Appends x with 10 significant digits in plain notation, trailing zeros stripped. The hot path
   * (CSV rows) scales by a power of ten and rounds in IEEE arithmetic, which Java defines exactly,
   * so the text is the same on every machine; values outside [1e-6, 1e15) go through BigDecimal.
   */
  public static void append(StringBuilder b, double x) {
    double abs = Math.abs(x);
    if (x == 0) {
      b.append('0');
      return;
    }
    if (abs < 1e-6 || abs >= 1e15) {
      b.append(of(x).toPlainString());
      return;
    }
    int exponent = (int) Math.floor(StrictMath.log10(abs));
    int decimals = 9 - exponent; // digits after the point for 10 significant digits
    long digits = scaledRound(abs, decimals);
    if (digits >= 10_000_000_000L) { // rounding carried into a new digit
      decimals--;
      digits = scaledRound(abs, decimals);
    }
    if (x < 0) {
      b.append('-');
    }
    if (decimals <= 0) {
      b.append(digits * POW10[-decimals]);
      return;
    }
    while (decimals > 0 && digits % 10 == 0) {
      digits /= 10;
      decimals--;
    }
    long unit = POW10[decimals];
    b.append(digits / unit);
    if (decimals > 0) {
      b.append('.');
      String fraction = Long.toString(digits % unit);
      for (int i = fraction.length(); i < decimals; i++) {
        b.append('0');
      }
      b.append(fraction);
    }
  }

  /** A CSV cell: the number (nothing for NaN / infinity) and the separating comma. */
  public static void cell(StringBuilder b, double x) {
    if (Double.isFinite(x)) {
      append(b, x);
    }
    b.append(',');
  }

  private static long scaledRound(double abs, int decimals) {
    return decimals >= 0 ? Math.round(abs * POW10[decimals]) : Math.round(abs / POW10[-decimals]);
  }

  /** Fixed decimals (for a table a person reads). */
  public static String fixed(double x, int decimals) {
    return dev.tokentherm.results.Decimals.fixed(x, decimals);
  }
}
