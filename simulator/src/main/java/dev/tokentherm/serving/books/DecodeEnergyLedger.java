package dev.tokentherm.serving.books;

import dev.tokentherm.model.Architecture;

/**
 * Gives each decode sequence its share of every iteration's energy without visiting it per
 * iteration. In iteration k a decode sequence gets a(k) + Σ_s b_s(k) · g_s(k), where each g_s is
 * linear in k between breakpoints: g_s(k) = g0 + slope · (k − k0). Over a segment that is ΣA +
 * g0·ΣB_s + slope·(Σ(b_s·k) − k0·ΣB_s), read from prefix sums at its ends.
 */
public final class DecodeEnergyLedger {
  private double sumA;
  private final double[] sumB = new double[Architecture.SLOTS];
  private final double[] sumBk = new double[Architecture.SLOTS];

  /** Adds iteration k's per-sequence constant a and per-unit rates b[s]. */
  public void addIteration(long k, double a, double[] b) {
    sumA += a;
    for (int s = 0; s < b.length; s++) {
      sumB[s] += b[s];
      sumBk[s] += b[s] * k;
    }
  }

  public double sumA() {
    return sumA;
  }

  public double sumB(int slot) {
    return sumB[slot];
  }

  public double sumBk(int slot) {
    return sumBk[slot];
  }

  /** Energy of the constant part since the mark. */
  public double constantSince(double markA) {
    return sumA - markA;
  }

  /** Energy of slot s over a segment that started at iteration k0 with value g0 and slope. */
  public double slotSince(int slot, long k0, long g0, int slope, double markB, double markBk) {
    double db = sumB[slot] - markB;
    double dbk = sumBk[slot] - markBk;
    return g0 * db + slope * (dbk - k0 * db);
  }
}
