package dev.tokentherm.config;

import java.lang.reflect.Type;
import java.math.BigDecimal;

/** "What is allowed" phrases for error messages: "an integer ≥ 1", "one of bf16, fp16, fp8". */
public final class Allowed {
  private final RecordShape.Cache shapes;

  Allowed(RecordShape.Cache shapes) {
    this.shapes = shapes;
  }

  String of(Type type, FieldSpec.Constraints constraints) {
    return of(type, constraints, false);
  }

  /**
   * @param withTypeBounds also state the bounds of an int or long (for values beyond them)
   */
  String of(Type type, FieldSpec.Constraints constraints, boolean withTypeBounds) {
    Class<?> raw = Types.raw(type);
    if (Types.isList(type)) {
      int least = constraints.minSize() == null ? 0 : constraints.minSize().value();
      return "a list" + (least > 0 ? " of at least " + least : "") + ", each "
          + of(Types.elementType(type), constraints.forElements());
    }
    if (Types.isMap(type)) {
      return "a mapping from names to " + of(Types.elementType(type), constraints.forElements());
    }
    if (Types.isWhole(raw)) {
      double typeMin = Types.isInt(raw) ? Integer.MIN_VALUE : Long.MIN_VALUE;
      double typeMax = Types.isInt(raw) ? Integer.MAX_VALUE : Long.MAX_VALUE;
      return "an integer" + bounds(constraints.range(), withTypeBounds ? typeMin : Double.NaN,
          withTypeBounds ? typeMax : Double.NaN);
    }
    if (Types.isDecimal(raw)) {
      return "a number" + bounds(constraints.range(), Double.NaN, Double.NaN);
    }
    if (Types.isBoolean(raw)) {
      return "true or false";
    }
    if (raw == String.class) {
      return constraints.oneOf() == null ? "text"
          : "one of " + String.join(", ", constraints.oneOf());
    }
    if (raw.isRecord()) {
      return "a mapping with keys: " + String.join(", ", shapes.of(raw).keys());
    }
    throw new IllegalArgumentException("unsupported configuration type " + type);
  }

  /** " ≥ 0", " > 0 and ≤ 1"; the type's own bounds (when not NaN) narrow the range. */
  private static String bounds(Range range, double typeMin, double typeMax) {
    double min = range == null ? Double.NEGATIVE_INFINITY : range.min();
    double max = range == null ? Double.POSITIVE_INFINITY : range.max();
    boolean minExclusive = range != null && range.minExclusive();
    boolean maxExclusive = range != null && range.maxExclusive();
    if (!Double.isNaN(typeMin) && typeMin > min) {
      min = typeMin;
      minExclusive = false;
    }
    if (!Double.isNaN(typeMax) && typeMax < max) {
      max = typeMax;
      maxExclusive = false;
    }
    StringBuilder text = new StringBuilder();
    if (min != Double.NEGATIVE_INFINITY) {
      text.append(minExclusive ? " > " : " ≥ ").append(number(min));
    }
    if (max != Double.POSITIVE_INFINITY) {
      text.append(text.length() > 0 ? " and" : "").append(maxExclusive ? " < " : " ≤ ")
          .append(number(max));
    }
    return text.toString();
  }

  /** A bound as people write it: 0, 0.9, 2147483647 (never 1.0 or 2.147483647E9). */
  public static String number(double x) {
    if (x == (double) Long.MAX_VALUE) {
      return Long.toString(Long.MAX_VALUE); // the double rounds it up by one
    }
    if (x == (double) Long.MIN_VALUE) {
      return Long.toString(Long.MIN_VALUE);
    }
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
