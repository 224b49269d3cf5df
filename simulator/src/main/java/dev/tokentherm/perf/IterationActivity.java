package dev.tokentherm.perf;

/**
 * What one GPU does over an iteration, per pipeline stage (every GPU of a stage does the same work;
 * the last stage also runs the LM head; with pp = 1 there is one stage) and per operator: FLOPs, HBM
 * bytes, busy seconds and SM-active seconds, at a clock factor. This is perf's whole answer about
 * activity; turning it into watts is {@code power}'s job. Mutable and reused: {@link Roofline}
 * fills it, its arrays grow only when a deeper pipeline first uses it.
 *
 * <p>SM-active seconds are the part of the busy seconds in which the SMs issue work for every byte
 * or FLOP they move (compute-bound kernels, attention and element-wise kernels, every kernel's fixed
 * time), not memory-bound linear layers nor collectives (see power.PowerModel). Sends between
 * stages are copy-engine work and count as no GPU's busy time.
 */
public final class IterationActivity {
  /** Linear layers (fused QKV, output projection, gate+up, down; MoE experts; side-model FLOPs). */
  public static final int LINEAR = 0;
  /** Element-wise kernels: norms, activation, RoPE, residual adds. */
  public static final int ELEMENTWISE = 1;
  public static final int DECODE_ATTENTION = 2;
  public static final int PREFILL_ATTENTION = 3;
  /** The LM head: on the last pipeline stage only. */
  public static final int LM_HEAD = 4;
  /** The stage's collectives (all-reduces, all-to-alls). */
  public static final int COLLECTIVES = 5;
  public static final int OPERATORS = 6;

  private int stages;
  private double clockFactor = 1;
  // [stage · OPERATORS + operator]
  private double[] flops = new double[OPERATORS];
  private double[] bytes = new double[OPERATORS];
  private double[] busyS = new double[OPERATORS];
  private double[] smActiveS = new double[OPERATORS];
  /** The dense tensor peak each operator's matmuls run against, FLOP/s (0: no matmuls). */
  private final double[] tensorPeakFlopsPerS = new double[OPERATORS];

  /**
   * Starts a new iteration of {@code stages} stages at {@code clockFactor} of the nominal clock; the
   * filler then sets every operator of every stage (no clearing here: this runs every iteration).
   */
  void reset(int stages, double clockFactor) {
    if (flops.length < stages * OPERATORS) {
      flops = new double[stages * OPERATORS];
      bytes = new double[stages * OPERATORS];
      busyS = new double[stages * OPERATORS];
      smActiveS = new double[stages * OPERATORS];
    }
    this.stages = stages;
    this.clockFactor = clockFactor;
  }

  void tensorPeak(int operator, double flopsPerS) {
    tensorPeakFlopsPerS[operator] = flopsPerS;
  }

  /** Sets one operator's activity on one stage (one GPU's share, over the whole iteration). */
  void set(int stage, int operator, double flops, double bytes, double busyS, double smActiveS) {
    int i = stage * OPERATORS + operator;
    this.flops[i] = flops;
    this.bytes[i] = bytes;
    this.busyS[i] = busyS;
    this.smActiveS[i] = smActiveS;
  }

  public int stages() {
    return stages;
  }

  /**
   * The clock the activity was computed at, k = f / f_reference in (0, 1] (1.0: the boost clock the
   * fits were measured at); the busy and SM-active seconds are already those at this clock.
   */
  public double clockFactor() {
    return clockFactor;
  }

  public double flops(int stage, int operator) {
    return flops[stage * OPERATORS + operator];
  }

  public double bytes(int stage, int operator) {
    return bytes[stage * OPERATORS + operator];
  }

  public double busyS(int stage, int operator) {
    return busyS[stage * OPERATORS + operator];
  }

  public double smActiveS(int stage, int operator) {
    return smActiveS[stage * OPERATORS + operator];
  }

  /** The dense tensor peak the operator's matmuls run against, FLOP/s (0 when it has none). */
  public double tensorPeakFlopsPerS(int operator) {
    return tensorPeakFlopsPerS[operator];
  }

  /** Seconds one GPU of the stage works in the iteration. */
  public double stageBusyS(int stage) {
    return sum(busyS, stage);
  }

  /** Of {@link #stageBusyS}, the seconds its SMs issue work. */
  public double stageSmActiveS(int stage) {
    return sum(smActiveS, stage);
  }

  /** FLOPs of one GPU of the stage. */
  public double stageFlops(int stage) {
    return sum(flops, stage);
  }

  /** HBM bytes of one GPU of the stage. */
  public double stageBytes(int stage) {
    return sum(bytes, stage);
  }

  /** Σ over operators of FLOPs ÷ their tensor peak: the seconds the stage's matmuls take at peak. */
  public double stageTensorPeakS(int stage) {
    double s = 0;
    for (int op = 0; op < OPERATORS; op++) {
      double f = flops[stage * OPERATORS + op];
      if (f > 0) {
        s += f / tensorPeakFlopsPerS[op];
      }
    }
    return s;
  }

  private static double sum(double[] values, int stage) {
    double s = 0;
    for (int op = stage * OPERATORS, end = op + OPERATORS; op < end; op++) {
      s += values[op];
    }
    return s;
  }
}
