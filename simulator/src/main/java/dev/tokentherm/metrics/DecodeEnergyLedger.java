package dev.tokentherm.metrics;

/**
 * Gives each decode sequence its share of every iteration's energy without visiting it per
 * iteration. In iteration k a decode sequence at context n(k) = n0 + (k − k0) gets a(k) + b(k)·n(k)
 * joules; so over [k0, k1] it gets ΣA + (n0 − k0)·ΣB + Σ(b·k), read from three prefix sums at
 * join and leave.
 */
public final class DecodeEnergyLedger {
  private double sumA;
  private double sumB;
  private double sumBk;

  /** Adds iteration k's per-sequence constant a and per-context-token rate b. */
  public void addIteration(long k, double a, double b) {
    sumA += a;
    sumB += b;
    sumBk += b * k;
  }

  public double sumA() {
    return sumA;
  }

  public double sumB() {
    return sumB;
  }

  public double sumBk() {
    return sumBk;
  }

  /** Energy of a sequence that joined at iteration k0 with context n0 and marks (a, b, bk). */
  public double energySince(long k0, long n0, double markA, double markB, double markBk) {
    return (sumA - markA) + (n0 - k0) * (sumB - markB) + (sumBk - markBk);
  }
}
