package dev.tokentherm.power;

import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;

/**
 * A replica's SM clock, set at each iteration start (pure: primitives, no allocation). The clock
 * policy requests a clock; the iteration's cost is taken there and each pipeline stage's demanded
 * power over it (before any clamp, {@link StagePower#demandWatts}) is compared with the cap. When a
 * stage's demand is above it, the clock falls to the highest setting on the profile's grid
 * (max_mhz − j · step_mhz, down to min_mhz) at which every stage's demand fits: the iteration's
 * time depends on the clock (the roofline at k), so each probe of the binary search over the grid
 * costs a roofline call, made only when the cap binds. When even min_mhz does not fit, the replica
 * runs at min_mhz and the iteration's seconds count as unmet ({@code power.cap_unmet_s}). A TP/PP
 * group runs at its slowest GPU's clock: one clock per replica iteration.
 *
 * <p>The board limit (power_limit_w) is the condition the kernel fits were measured under: their
 * times include the clock cuts the limit makes, so at the board limit the power model clamps (as
 * without a governor) and the clock stays; only a cap below it ({@code cap_w}) binds here. The
 * reason, as NVML's clock-event reasons: {@link #NONE}, {@link #SW_POWER_CAP} (the cap binds) or
 * {@link #LOCKED} (an application clock setting).
 */
public final class ClockGovernor {
  public static final int NONE = 0;
  public static final int SW_POWER_CAP = 1;
  public static final int LOCKED = 2;
  private static final String[] REASONS = {"none", "sw_power_cap", "locked"};

  private final StagePower power;
  private final double maxMhz;
  private final double minMhz;
  private final double stepMhz;
  private final double requestedMhz;
  private final int requestedReason;
  /** The cap that binds, W; +∞ when none below the board limit. */
  private final double limitW;
  /** Grid settings at or below the requested clock: index 0 is min_mhz, the last the highest below the request. */
  private final int below;
  private final boolean minOffGrid;
  private final int steps;

  private double clockMhz;
  private int reason;
  private double unmetS;

  /**
   * @param capW the power cap per GPU, W; at or above the board limit (or NaN) it never binds
   * @param requestedMhz the policy's clock, within [minMhz, maxMhz]
   */
  public ClockGovernor(StagePower power, double maxMhz, double minMhz, double stepMhz, double requestedMhz,
      boolean locked, double capW) {
    if (!(minMhz > 0 && minMhz <= maxMhz && stepMhz > 0)) {
      throw new IllegalArgumentException("clock range " + minMhz + "-" + maxMhz + " MHz, step " + stepMhz);
    }
    if (!(requestedMhz >= minMhz && requestedMhz <= maxMhz)) {
      throw new IllegalArgumentException("clock " + requestedMhz + " MHz outside " + minMhz + "-" + maxMhz + " MHz");
    }
    this.power = power;
    this.maxMhz = maxMhz;
    this.minMhz = minMhz;
    this.stepMhz = stepMhz;
    this.requestedMhz = requestedMhz;
    this.requestedReason = locked ? LOCKED : NONE;
    this.limitW = capW < power.model().powerLimitW() ? capW : Double.POSITIVE_INFINITY;
    // the grid from the top: max − j · step for j = 0..steps, all ≥ min, then min where it is off the grid
    this.steps = (int) Math.floor((maxMhz - minMhz) / stepMhz + 1e-9);
    this.minOffGrid = maxMhz - steps * stepMhz > minMhz + 1e-9;
    // settings strictly below the request: the grid points under it, and min
    int under = 0;
    for (int i = 1; i < size(); i++) {
      if (clockAt(i) < requestedMhz) {
        under = i;
      }
    }
    this.below = under;
    this.clockMhz = requestedMhz;
    this.reason = requestedReason;
  }

  /** The boost clock and no cap: what every replica ran at before clock policies. */
  public static ClockGovernor boost(StagePower power, double maxMhz) {
    return new ClockGovernor(power, maxMhz, maxMhz, 1, maxMhz, false, Double.NaN);
  }

  private int size() {
    return steps + 1 + (minOffGrid ? 1 : 0);
  }

  /** The i-th setting from the bottom (0: min_mhz). */
  double clockAt(int i) {
    if (i == 0) {
      return minMhz;
    }
    return maxMhz - (size() - 1 - i) * stepMhz;
  }

  /**
   * Fills {@code out} with the cost of {@code w} at the governed clock, and sets the clock and
   * reason. With the boost clock and no cap: one roofline call at k = 1, as without a governor.
   */
  public void cost(Roofline roofline, BatchWork w, IterationCost out) {
    roofline.cost(w, requestedMhz / maxMhz, out); // exactly 1.0 at boost
    clockMhz = requestedMhz;
    reason = requestedReason;
    if (limitW == Double.POSITIVE_INFINITY || fits(out)) {
      return;
    }
    reason = SW_POWER_CAP;
    roofline.cost(w, minMhz / maxMhz, out);
    if (!fits(out)) {
      clockMhz = minMhz;
      unmetS += out.totalS();
      return;
    }
    int lo = 0;
    int hi = below;
    int probed = 0;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      roofline.cost(w, clockAt(mid) / maxMhz, out);
      probed = mid;
      if (fits(out)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    if (probed != lo) {
      roofline.cost(w, clockAt(lo) / maxMhz, out);
    }
    clockMhz = clockAt(lo);
  }

  /** Whether every stage's demanded power over the iteration is within the cap. */
  private boolean fits(IterationCost c) {
    double t = c.totalS();
    for (int s = 0, n = c.activity.stages(); s < n; s++) {
      if (power.demandWatts(c.activity, s, t) > limitW) {
        return false;
      }
    }
    return true;
  }

  /** The clock of the latest iteration, MHz. */
  public double clockMhz() {
    return clockMhz;
  }

  /** The latest iteration's clock-event reason (see {@link #reasonName}). */
  public int reason() {
    return reason;
  }

  /** NVML-style name of a reason: none, sw_power_cap or locked. */
  public static String reasonName(int reason) {
    return REASONS[reason];
  }

  /** Seconds of iterations run at min_mhz with their demand still over the cap. */
  public double unmetS() {
    return unmetS;
  }

  public StagePower power() {
    return power;
  }
}
