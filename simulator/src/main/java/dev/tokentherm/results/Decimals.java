package dev.tokentherm.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The decimal a result number is written as: the exact binary value rounded to 10 significant
 * digits, so the bytes never depend on the JDK's Double.toString. (metrics.Num formats CSV cells
 * and the console with the same rule.)
 */
public final class Decimals {
  private static final MathContext SIGNIFICANT = new MathContext(10, RoundingMode.HALF_EVEN);

  private Decimals() {}

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

  /** Fixed decimals from the exact binary value (for a table a person reads), "-" for NaN / infinity. */
  public static String fixed(double x, int decimals) {
    if (!Double.isFinite(x)) {
      return "-";
    }
    return new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }
}
