package dev.tokentherm.calibration;

/**
 * How a compared Splitwise measurement is used: the rows the splitwise-2023 stack was fitted on,
 * or one of the held-out sets, each with the MAPE target.
 */
public enum SplitwiseGroup {
  FITTED("fitted: Llama2-70B TP2 + TP8, H100 + A100", 0.12),
  HELD_OUT_LLAMA_TP4("held out: Llama2-70B TP4, H100 + A100", 0.20),
  HELD_OUT_BLOOM_H100("held out: BLOOM-176B TP8, H100", 0.20),
  HELD_OUT_BLOOM_A100("held out: BLOOM-176B TP8, A100", 0.25);

  private final String title;
  private final double mapeTarget;

  SplitwiseGroup(String title, double mapeTarget) {
    this.title = title;
    this.mapeTarget = mapeTarget;
  }

  public String title() {
    return title;
  }

  /** The largest MAPE the issue accepts for this group, 0–1. */
  public double mapeTarget() {
    return mapeTarget;
  }

  /** The group of a row of a known model and GPU (exclusions are decided before). */
  static SplitwiseGroup of(SplitwiseRow row) {
    if (row.model().equals(SplitwiseCalibration.BLOOM)) {
      return row.hardware().equals(SplitwiseCalibration.A100) ? HELD_OUT_BLOOM_A100 : HELD_OUT_BLOOM_H100;
    }
    return row.tensorParallel() == 4 ? HELD_OUT_LLAMA_TP4 : FITTED;
  }
}
