package dev.tokentherm.hardware;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validation;

/** Physical bounds of profile numbers: a zero bandwidth divides by zero, a negative overhead runs time backwards. */
final class Physical {
  private Physical() {}

  /** A number that divides (bandwidth, peak, capacity): > 0. */
  static void positive(Validation v, String field, Sourced s) {
    if (s != null && !(s.value() > 0)) {
      v.error(field + ".value", "is " + Allowed.number(s.value()) + "; allowed: a number > 0");
    }
  }

  /** A time or an amount (overhead, idle power, memory): ≥ 0. */
  static void nonNegative(Validation v, String field, Sourced s) {
    if (s != null && !(s.value() >= 0)) {
      v.error(field + ".value", "is " + Allowed.number(s.value()) + "; allowed: a number ≥ 0");
    }
  }

  /** An efficiency, an achieved share of a peak: > 0 and ≤ 1. */
  static void share(Validation v, String field, Sourced s) {
    if (s != null && !(s.value() > 0 && s.value() <= 1)) {
      v.error(field + ".value", "is " + Allowed.number(s.value()) + "; allowed: a share > 0 and ≤ 1 of the peak");
    }
  }

  /** A fraction: ≥ 0 and ≤ 1. */
  static void fraction(Validation v, String field, Sourced s) {
    if (s != null && !(s.value() >= 0 && s.value() <= 1)) {
      v.error(field + ".value", "is " + Allowed.number(s.value()) + "; allowed: a number ≥ 0 and ≤ 1");
    }
  }
}
