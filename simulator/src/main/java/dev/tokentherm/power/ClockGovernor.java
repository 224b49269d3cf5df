package dev.tokentherm.power;

import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.thermal.RcModel;

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
 * without a governor) and the clock stays; only a cap below it ({@code cap_w}) binds here, or the
 * GPU's share of its rack's power budget ({@link #rackBudget}, a second limit acting as the cap does:
 * the lower binds, and its demand unmet at min_mhz counts in the same seconds). The reason, as NVML's
 * clock-event reasons: {@link #NONE}, {@link #SW_POWER_CAP} (the cap binds), {@link #LOCKED} (an
 * application clock setting) or, ours, {@link #RACK_POWER_BUDGET} (the rack's share binds).
 *
 * <p>Thermal slowdown is firmware and applies under every policy ({@link #thermalLimits},
 * {@link #watch}): when any of the replica's GPUs is at or above {@code slowdown_c} at the
 * iteration's start, the clock is also limited to the highest grid setting at which every GPU's
 * steady temperature T_in + P(f)·R, with P(f) the demanded power of its stage at f over the
 * iteration (as for the cap), is at most {@code slowdown_c}: one binary search with both limits,
 * so the lower clock wins and the reason is the one that binds (thermal on a tie), {@link
 * #SW_THERMAL_SLOWDOWN}; min_mhz when none fits. At or above {@code hw_slowdown_c} that clock is
 * halved (off the grid: a firmware divider), {@link #HW_SLOWDOWN}. At or above {@code shutdown_c}
 * ({@link #shutdownAt}) nothing runs: {@link #overheated} tells the replica to shut down. Below {@code slowdown_c} the
 * check is one comparison per GPU against an upper bound of its temperature (RcModel) and nothing
 * else changes. Time run with a reason that lowered the clock is counted in GPU-seconds per reason
 * ({@link #throttledS}).
 */
public final class ClockGovernor {
  public static final int NONE = 0;
  public static final int SW_POWER_CAP = 1;
  public static final int LOCKED = 2;
  public static final int SW_THERMAL_SLOWDOWN = 3;
  public static final int HW_SLOWDOWN = 4;
  /** The GPU's share of its rack's power budget binds (cluster.racks.power_budget_w; not an NVML reason). */
  public static final int RACK_POWER_BUDGET = 5;
  /** Not a clock: the GPU is off for good (it reached shutdown_c, or was stopped), as devices.csv names it. */
  public static final int SHUTDOWN = 6;
  private static final String[] REASONS = {"none", "sw_power_cap", "locked", "sw_thermal_slowdown", "hw_slowdown",
      "rack_power_budget", "shutdown"};

  private final StagePower power;
  private final double maxMhz;
  private final double minMhz;
  private final double stepMhz;
  private double requestedMhz;
  private final int requestedReason;
  /** An adaptive clock policy that changes the request at iteration starts, or null: a fixed request. */
  private ClockPolicy adaptive;
  /** The power limit that binds, W, the lower of the cap and the rack budget's share; +∞ when none below the board limit. */
  private double limitW;
  /** Which limit {@link #limitW} is: {@link #SW_POWER_CAP} or {@link #RACK_POWER_BUDGET}. */
  private int powerReason = SW_POWER_CAP;
  /** Grid settings at or below the requested clock: index 0 is min_mhz, the last the highest below the request. */
  private int below;
  private final boolean minOffGrid;
  private final int steps;

  private double clockMhz;
  private int reason;
  private double unmetS;
  /** GPU-seconds of iterations per reason (only the reasons that lower the clock are counted). */
  private final double[] throttledS = new double[REASONS.length];

  private double slowdownC = Double.POSITIVE_INFINITY;
  private double hwSlowdownC = Double.POSITIVE_INFINITY;
  private double shutdownC = Double.POSITIVE_INFINITY;
  /** A GPU was at or above shutdown_c at the latest iteration start: the replica must stop instead. */
  private boolean overheated;
  /** The replica's GPUs' temperatures, or null: none watched; their numbers there, stage by stage. */
  private RcModel thermal;
  private int[] gpus = new int[0];
  private int perStage = 1;
  /** The current iteration is thermally limited: a GPU at or above slowdown_c at its start. */
  private boolean hot;
  /** At the lowest failing probe so far, whether the thermal limit failed (else only the cap). */
  private boolean thermalFailed;

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
    this.below = below(requestedMhz);
    this.clockMhz = requestedMhz;
    this.reason = requestedReason;
  }

  /**
   * The GPUs' share of their rack's power budget, W (cluster.racks.power_budget_w; +∞ or NaN: none):
   * a second power limit beside the cap, acting as it does; the lower of the two binds, the cap on a
   * tie, and the reason is the one that binds ({@link #RACK_POWER_BUDGET} for the share).
   */
  public ClockGovernor rackBudget(double shareW) {
    if (shareW < power.model().powerLimitW() && shareW < limitW) {
      limitW = shareW;
      powerReason = RACK_POWER_BUDGET;
    }
    return this;
  }

  /**
   * The GPU profile's slowdown thresholds, °C ({@code thermal.slowdown_c}, {@code hw_slowdown_c});
   * they act once the GPUs' temperatures are watched ({@link #watch}).
   */
  public ClockGovernor thermalLimits(double slowdownC, double hwSlowdownC) {
    if (!(hwSlowdownC >= slowdownC)) {
      throw new IllegalArgumentException("hw slowdown " + hwSlowdownC + " °C below slowdown " + slowdownC + " °C");
    }
    this.slowdownC = slowdownC;
    this.hwSlowdownC = hwSlowdownC;
    return this;
  }

  /**
   * The GPU profile's shutdown threshold, °C ({@code thermal.shutdown_c}, at or above {@code
   * hw_slowdown_c}): an iteration start that finds a GPU there costs nothing and reports {@link
   * #overheated} (the replica shuts down instead of running it).
   */
  public ClockGovernor shutdownAt(double shutdownC) {
    if (!(shutdownC >= hwSlowdownC)) {
      throw new IllegalArgumentException("shutdown " + shutdownC + " °C below hw slowdown " + hwSlowdownC + " °C");
    }
    this.shutdownC = shutdownC;
    return this;
  }

  /**
   * Whether the latest {@link #cost} found a GPU at or above shutdown_c (it then filled in nothing):
   * the replica must shut down instead of running the iteration.
   */
  public boolean overheated() {
    return overheated;
  }

  /**
   * Watches the die temperatures of the replica's GPUs {@code gpus} (their numbers in {@code
   * thermal}, stage by stage, {@code perStage} to a stage).
   */
  public void watch(RcModel thermal, int[] gpus, int perStage) {
    if (perStage < 1 || gpus.length % perStage != 0) {
      throw new IllegalArgumentException(gpus.length + " GPUs in stages of " + perStage);
    }
    this.thermal = thermal;
    this.gpus = gpus.clone();
    this.perStage = perStage;
  }

  /** Settings strictly below {@code mhz}: the index of the highest grid point under it (0: min). */
  private int below(double mhz) {
    int under = 0;
    for (int i = 1; i < size(); i++) {
      if (clockAt(i) < mhz) {
        under = i;
      }
    }
    return under;
  }

  /**
   * Lets an adaptive clock policy ({@link ClockPolicy#adaptive}) change the request at each
   * iteration start from the decode steps it is told of ({@link #decodeStepEnded}); the cap and
   * thermal slowdown still lower what it asks for. A fixed policy is ignored.
   */
  public ClockGovernor adapt(ClockPolicy policy) {
    this.adaptive = policy.adaptive() ? policy : null;
    return this;
  }

  /** A decode step ended at {@code endNs} with a token gap of {@code gapNs}: told to an adaptive policy. */
  public void decodeStepEnded(long endNs, long gapNs) {
    if (adaptive != null) {
      adaptive.decodeStepEnded(endNs, gapNs * 1e-9, clockMhz);
    }
  }

  /** The adaptive policy's request at {@code nowNs}; the grid search's bound moves only when it changes. */
  private void request(long nowNs) {
    double mhz = adaptive.requestAt(nowNs, requestedMhz);
    if (mhz != requestedMhz) {
      if (!(mhz >= minMhz && mhz <= maxMhz)) {
        throw new IllegalStateException("clock policy " + adaptive.name() + " asked for " + mhz + " MHz outside "
            + minMhz + "-" + maxMhz + " MHz");
      }
      requestedMhz = mhz;
      below = below(mhz);
    }
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

  /** As {@link #cost(long, Roofline, BatchWork, IterationCost)} with no temperatures read. */
  public void cost(Roofline roofline, BatchWork w, IterationCost out) {
    cost(Long.MIN_VALUE, roofline, w, out);
  }

  /**
   * Fills {@code out} with the cost of {@code w} at the governed clock for an iteration starting at
   * {@code nowNs}, and sets the clock and reason. With the boost clock, no cap and every GPU below
   * slowdown_c: one roofline call at k = 1, as without a governor.
   */
  public void cost(long nowNs, Roofline roofline, BatchWork w, IterationCost out) {
    if (adaptive != null) {
      request(nowNs);
    }
    double hottest = hottestC(nowNs); // exact from slowdown_c up, which shutdown_c is at or above
    overheated = hottest >= shutdownC;
    if (overheated) {
      return; // the GPUs stop: nothing runs at any clock
    }
    roofline.cost(w, requestedMhz / maxMhz, out); // exactly 1.0 at boost
    clockMhz = requestedMhz;
    reason = requestedReason;
    hot = hottest >= slowdownC;
    boolean lowered = !((limitW == Double.POSITIVE_INFINITY && !hot) || fits(out));
    if (lowered) {
      search(roofline, w, out);
    }
    if (hottest >= hwSlowdownC) { // firmware: whatever the clock was, half of it
      clockMhz = clockMhz / 2;
      reason = HW_SLOWDOWN;
      roofline.cost(w, clockMhz / maxMhz, out);
      lowered = true;
    }
    if (lowered) {
      throttledS[reason] += out.totalS() * Math.max(1, gpus.length);
    }
  }

  /** The highest setting below the request at which {@link #fits} holds (the request does not). */
  private void search(Roofline roofline, BatchWork w, IterationCost out) {
    boolean bindsThermal = thermalFailed; // at the request: the lowest failing setting so far
    roofline.cost(w, minMhz / maxMhz, out);
    if (!fits(out)) {
      clockMhz = minMhz;
      reason = thermalFailed ? SW_THERMAL_SLOWDOWN : powerReason;
      if (!fitsCap(out)) {
        unmetS += out.totalS();
      }
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
        bindsThermal = thermalFailed;
      }
    }
    if (probed != lo) {
      roofline.cost(w, clockAt(lo) / maxMhz, out);
    }
    clockMhz = clockAt(lo);
    reason = bindsThermal ? SW_THERMAL_SLOWDOWN : powerReason;
  }

  /**
   * The highest die temperature among the replica's GPUs at {@code nowNs} when one may be at or
   * above slowdown_c, else −∞: per GPU one comparison of an upper bound (RcModel#upperBoundC).
   */
  private double hottestC(long nowNs) {
    double hottest = Double.NEGATIVE_INFINITY;
    if (thermal == null) {
      return hottest;
    }
    for (int g : gpus) {
      if (thermal.upperBoundC(g) >= slowdownC) {
        hottest = Math.max(hottest, thermal.tempC(g, nowNs));
      }
    }
    return hottest;
  }

  /** Whether the cost fits the cap and, when hot, the thermal limit ({@link #thermalFailed}: which failed). */
  private boolean fits(IterationCost c) {
    thermalFailed = hot && !fitsThermal(c);
    return !thermalFailed && fitsCap(c);
  }

  /** Whether every GPU's steady temperature at its stage's demanded power, T_in + P·R, is within slowdown_c. */
  private boolean fitsThermal(IterationCost c) {
    double t = c.totalS();
    for (int s = 0, n = c.activity.stages(); s < n; s++) {
      double p = power.demandWatts(c.activity, s, t);
      for (int i = s * perStage, end = Math.min(i + perStage, gpus.length); i < end; i++) {
        if (thermal.inletC(gpus[i]) + p * thermal.resistanceCPerW(gpus[i]) > slowdownC) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether every stage's demanded power over the iteration is within the power limit (cap or rack share). */
  private boolean fitsCap(IterationCost c) {
    if (limitW == Double.POSITIVE_INFINITY) {
      return true;
    }
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

  /** NVML-style name of a reason: none, sw_power_cap, locked, sw_thermal_slowdown, hw_slowdown or rack_power_budget; or shutdown. */
  public static String reasonName(int reason) {
    return REASONS[reason];
  }

  /** Seconds of iterations run at min_mhz with their demand still over the power limit (cap or rack share). */
  public double unmetS() {
    return unmetS;
  }

  /**
   * GPU-seconds (iteration seconds × the replica's GPUs) of iterations whose clock {@code reason}
   * lowered: {@link #SW_POWER_CAP}, {@link #SW_THERMAL_SLOWDOWN}, {@link #HW_SLOWDOWN} or {@link #RACK_POWER_BUDGET}.
   */
  public double throttledS(int reason) {
    return throttledS[reason];
  }

  public StagePower power() {
    return power;
  }
}
