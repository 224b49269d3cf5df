package dev.tokentherm.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting for results: decimal text from the exact binary value, rounded to a fixed
 * number of significant digits, so the bytes never depend on the JDK's Double.toString.
 */
public final class Num {
  private static final MathContext SIGNIFICANT = new MathContext(10, RoundingMode.HALF_EVEN);

  private Num() {}

  /** The value rounded to 10 significant digits, or null for NaN / infinity. */
  public static BigDecimal of(double x) {
    if (!Double.isFinite(x)) {
      return null;
    }
    if (x == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal d = new BigDecimal(x).round(SIGNIFICANT).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** Plain decimal text of {@link #of}, empty for NaN / infinity (CSV cells). */
  public static String text(double x) {
    BigDecimal d = of(x);
    return d == null ? "" : d.toPlainString();
  }

  /** Fixed decimals (for a table a person reads). */
  public static String fixed(double x, int decimals) {
    if (!Double.isFinite(x)) {
      return "-";
    }
    return new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }
}
