package dev.tokentherm.plan;

import java.math.BigDecimal;

/**
 * Bisection for the boundary of a monotone pass/fail oracle between an easy end of a bracket
 * (a low arrival rate, a high replica count) and a hard end. Both ends are probed first: an easy
 * end that fails means no capacity in the bracket, a hard end that passes means the capacity is
 * at least the hard end. Otherwise the passing and failing values close in by halving until they
 * are at most {@code tolerance} apart (adjacent whole numbers on an integer axis, where the
 * midpoint is rounded towards the easy end): {@link #steps} midpoints, ⌈log2(width / tolerance)⌉.
 * The capacity is the last passing value.
 */
public final class Bisection {
  private Bisection() {}

  /** Whether the configuration passes at a value of the axis. */
  public interface Oracle {
    boolean passes(double value) throws Exception;
  }

  /** How a search ended. */
  public enum Outcome {
    /** a passing value within tolerance of a failing one */
    FOUND,
    /** the easy end fails: no capacity in the bracket */
    NONE,
    /** the hard end passes: the capacity is at least the hard end */
    AT_LEAST
  }

  /**
   * @param capacity the last passing value (NaN for {@link Outcome#NONE})
   * @param failing the first failing value towards the hard end (NaN for {@link Outcome#AT_LEAST})
   * @param probes the oracle's calls
   */
  public record Result(Outcome outcome, double capacity, double failing, int probes) {}

  /** Midpoints a real-valued bisection needs to bring {@code width} down to {@code tolerance}. */
  public static int steps(double width, double tolerance) {
    int n = 0;
    for (double w = Math.abs(width); w > tolerance && n < 1100; w /= 2) {
      n++;
    }
    return n;
  }

  /**
   * Searches the bracket from {@code easy} to {@code hard} (either may be the larger).
   *
   * @throws Exception what the oracle threw
   */
  public static Result search(double easy, double hard, double tolerance, boolean integer, Oracle oracle)
      throws Exception {
    double tol = integer ? Math.max(tolerance, 1) : tolerance;
    int probes = 1;
    if (!oracle.passes(easy)) {
      return new Result(Outcome.NONE, Double.NaN, easy, probes);
    }
    probes++;
    if (oracle.passes(hard)) {
      return new Result(Outcome.AT_LEAST, hard, Double.NaN, probes);
    }
    double pass = easy;
    double fail = hard;
    while (Math.abs(fail - pass) > tol) {
      double mid = pass + (fail - pass) / 2;
      if (integer) {
        mid = fail > pass ? Math.floor(mid) : Math.ceil(mid);
      }
      probes++;
      if (oracle.passes(mid)) {
        pass = mid;
      } else {
        fail = mid;
      }
    }
    return new Result(Outcome.FOUND, pass, fail, probes);
  }

  /** A value as --set and tables write it: whole numbers without a decimal point, others as short as exact. */
  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
