package dev.tokentherm.power;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.perf.IterationActivity;

/**
 * The power of one pipeline stage's GPUs over an iteration, from the stage's activity ({@link
 * IterationActivity}): {@link PowerModel} over the seconds the stage works, with its activity
 * variables as shares of those seconds (s_sm = SM-active ÷ busy, u_mem = bytes ÷ (peak HBM B/s ×
 * busy), u_tensor = Σ FLOPs ÷ their tensor peak ÷ busy), and active idle over the rest of the
 * iteration (pipeline bubbles, the CPU's part, sends), at the activity's clock factor (the SM and
 * tensor terms scale with clock and voltage, see {@link PowerModel}). Pure and allocation-free.
 */
public final class StagePower {
  private final PowerModel model;
  private final double hbmBytesPerS;

  public StagePower(PowerModel model, double hbmBytesPerS) {
    this.model = model;
    this.hbmBytesPerS = hbmBytesPerS;
  }

  /** The power of a GPU of this profile: its calibrated model and its HBM bandwidth. */
  public static StagePower of(GpuProfile gpu) {
    return new StagePower(PowerModel.of(gpu), gpu.hbmGbPerS().value() * 1e9);
  }

  /** Power of the stage's GPUs while they work, W (active idle when the stage does nothing). */
  public double busyWatts(IterationActivity a, int stage) {
    return busyWatts(a, stage, a.stageBusyS(stage), true);
  }

  /** Energy-averaged power of the stage's GPUs over an iteration of {@code intervalS} seconds, W. */
  public double watts(IterationActivity a, int stage, double intervalS) {
    double busy = a.stageBusyS(stage);
    return (busyWatts(a, stage, busy, true) * busy + model.activeIdleW() * (intervalS - busy)) / intervalS;
  }

  /**
   * The demanded power over an iteration of {@code intervalS} seconds, before the board limit's
   * clamp, W: what a clock governor compares with a cap (≥ {@link #watts}, equal below the limit).
   */
  public double demandWatts(IterationActivity a, int stage, double intervalS) {
    double busy = a.stageBusyS(stage);
    return (busyWatts(a, stage, busy, false) * busy + model.activeIdleW() * (intervalS - busy)) / intervalS;
  }

  private double busyWatts(IterationActivity a, int stage, double busy, boolean clamped) {
    if (busy <= 0) {
      return model.activeIdleW();
    }
    double k = a.clockFactor();
    // u_tensor against the tensor peak at the clock (peak · k); ÷ 1.0 is exact at the reference clock
    double s = a.stageSmActiveS(stage) / busy;
    double m = a.stageBytes(stage) / hbmBytesPerS / busy;
    double t = a.stageTensorPeakS(stage) / k / busy;
    return clamped ? model.watts(s, m, t, 0, k) : model.demandW(s, m, t, 0, k);
  }

  /** The GPU's model (its board limit, its dynamic scale). */
  public PowerModel model() {
    return model;
  }

  /** Power with a model resident and no work, W. */
  public double activeIdleW() {
    return model.activeIdleW();
  }
}
