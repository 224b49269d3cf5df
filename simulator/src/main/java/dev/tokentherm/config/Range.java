package dev.tokentherm.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Numeric bounds of a field (or of each element of a numeric list). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Range {
  double min() default Double.NEGATIVE_INFINITY;

  double max() default Double.POSITIVE_INFINITY;

  /** When true the bound {@link #min()} itself is not allowed (e.g. a strictly positive rate). */
  boolean minExclusive() default false;

  boolean maxExclusive() default false;
}
