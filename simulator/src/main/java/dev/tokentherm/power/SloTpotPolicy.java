package dev.tokentherm.power;

/**
 * The SLO-aware clock policy, {@code slo-tpot}: every {@code interval_s} it picks the lowest grid
 * clock at which the replica's token gap, estimated from what it observed, stays within the TPOT
 * target (the scenario's {@code slo.tpot_ms} × {@code power.slo_margin}). It sees only what a
 * controller on the host could: each decode step's token gap and the clock that step ran at (no
 * roofline, no future); it only requests, and the governor's cap and thermal slowdown still lower
 * the clock.
 *
 * <p>The estimate is the worst case: the whole gap scales as 1/f (every kernel clock-bound), so a
 * gap g observed at f_obs is g · f_obs / f at f. Over an interval it keeps the mean of g · f_obs
 * (MHz·s: a request's TPOT is the mean of its gaps) and asks for the lowest grid clock f with
 * mean / f ≤ target, never above max_mhz. Decode is mostly memory-bound, so the real gap grows less
 * than 1/f and the estimate errs on the high side: the next interval, observed at the lower clock,
 * moves lower again, and the clock ratchets down to where the worst case meets the target; a
 * rising load raises it the same way. The first decision is one interval after the replica's first
 * iteration; an interval without decode steps keeps the clock. The run starts at the boost clock.
 * One instance per replica (its state: the window's sums and the next decision time).
 */
public final class SloTpotPolicy implements ClockPolicy {
  private double maxMhz = Double.NaN;
  private double minMhz;
  private double stepMhz;
  private double targetS;
  private long intervalNs;
  private long nextNs = Long.MIN_VALUE;
  /** Σ gap · clock over the interval's decode steps, MHz·s, and their count. */
  private double sumCycles;
  private long steps;

  @Override
  public String name() {
    return "slo-tpot";
  }

  @Override
  public double requestedMhz(double maxMhz, double lockedMhz) {
    return maxMhz;
  }

  /** It sets application clocks, as a controller with nvidia-smi -lgc would (NVML's reason {@code locked}). */
  @Override
  public boolean locked() {
    return true;
  }

  @Override
  public boolean adaptive() {
    return true;
  }

  @Override
  public void configure(Control c) {
    if (!(c.targetTpotS() > 0 && c.intervalS() > 0 && c.minMhz() > 0 && c.minMhz() <= c.maxMhz()
        && c.stepMhz() > 0)) {
      throw new IllegalArgumentException("slo-tpot: target " + c.targetTpotS() + " s, interval " + c.intervalS()
          + " s, clocks " + c.minMhz() + "-" + c.maxMhz() + " MHz step " + c.stepMhz());
    }
    this.maxMhz = c.maxMhz();
    this.minMhz = c.minMhz();
    this.stepMhz = c.stepMhz();
    this.targetS = c.targetTpotS();
    this.intervalNs = Math.max(1, Math.round(c.intervalS() * 1e9));
  }

  @Override
  public void decodeStepEnded(long endNs, double gapS, double mhz) {
    if (gapS > 0) {
      sumCycles += gapS * mhz;
      steps++;
    }
  }

  @Override
  public double requestAt(long nowNs, double currentMhz) {
    if (Double.isNaN(maxMhz)) {
      throw new IllegalStateException("slo-tpot is not configured");
    }
    if (nextNs == Long.MIN_VALUE) {
      nextNs = nowNs + intervalNs;
      return currentMhz;
    }
    if (nowNs < nextNs) {
      return currentMhz;
    }
    nextNs += ((nowNs - nextNs) / intervalNs + 1) * intervalNs; // the next interval's end after now
    if (steps == 0) {
      return currentMhz;
    }
    double needMhz = sumCycles / steps / targetS;
    sumCycles = 0;
    steps = 0;
    return lowestAtLeast(needMhz);
  }

  /** The lowest grid setting (max − j · step ≥ min, or min) at or above {@code mhz}; max when none is. */
  double lowestAtLeast(double mhz) {
    if (mhz >= maxMhz) {
      return maxMhz;
    }
    if (mhz <= minMhz) {
      return minMhz;
    }
    long j = (long) Math.floor((maxMhz - mhz) / stepMhz + 1e-9);
    return Math.max(minMhz, maxMhz - j * stepMhz);
  }
}
