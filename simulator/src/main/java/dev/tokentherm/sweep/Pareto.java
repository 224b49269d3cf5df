package dev.tokentherm.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * Pareto fronts: the candidates no other candidate dominates (at least as good on every objective
 * and better on one). Candidates with a NaN objective take no part.
 */
public final class Pareto {
  private Pareto() {}

  /**
   * @param values values[i][k]: candidate i's objective k
   * @param maximize per objective, whether more is better
   * @return the indexes of the front, ascending
   */
  public static List<Integer> front(double[][] values, boolean[] maximize) {
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (hasNaN(values[i])) {
        continue;
      }
      boolean dominated = false;
      for (int j = 0; j < values.length && !dominated; j++) {
        dominated = j != i && !hasNaN(values[j]) && dominates(values[j], values[i], maximize);
      }
      if (!dominated) {
        front.add(i);
      }
    }
    return front;
  }

  static boolean dominates(double[] a, double[] b, boolean[] maximize) {
    boolean better = false;
    for (int k = 0; k < a.length; k++) {
      double ak = maximize[k] ? a[k] : -a[k];
      double bk = maximize[k] ? b[k] : -b[k];
      if (ak < bk) {
        return false;
      }
      better |= ak > bk;
    }
    return better;
  }

  private static boolean hasNaN(double[] v) {
    for (double x : v) {
      if (Double.isNaN(x)) {
        return true;
      }
    }
    return false;
  }
}
