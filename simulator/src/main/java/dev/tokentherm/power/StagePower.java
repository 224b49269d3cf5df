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
    return busyWatts(a, stage, a.stageBusyS(stage));
  }

  /** Energy-averaged power of the stage's GPUs over an iteration of {@code intervalS} seconds, W. */
  public double watts(IterationActivity a, int stage, double intervalS) {
    double busy = a.stageBusyS(stage);
    return (busyWatts(a, stage, busy) * busy + model.activeIdleW() * (intervalS - busy)) / intervalS;
  }

  private double busyWatts(IterationActivity a, int stage, double busy) {
    if (busy <= 0) {
      return model.activeIdleW();
    }
    double k = a.clockFactor();
    // u_tensor against the tensor peak at the clock (peak · k); ÷ 1.0 is exact at the reference clock
    return model.watts(a.stageSmActiveS(stage) / busy, a.stageBytes(stage) / hbmBytesPerS / busy,
        a.stageTensorPeakS(stage) / k / busy, 0, k);
  }

  /** Power with a model resident and no work, W. */
  public double activeIdleW() {
    return model.activeIdleW();
  }
}
