package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import org.junit.jupiter.api.Test;

/** The clock governor: a cap that binds lowers the clock to the highest grid step that fits; boost uncapped changes nothing. */
class ClockGovernorTest {
  private static final GpuProfile H100 = TestProfiles.gpu("h100-sxm");
  private static final double MAX = 1980;

  private static Roofline roofline() {
    Architecture arch = new Architecture(TestProfiles.model("llama-3.1-8b"), null, Dtype.BF16, 1, 1, 1);
    return new Roofline(arch, H100, TestProfiles.node("dgx-h100"), TestProfiles.stack("vllm-v1"), Dtype.BF16,
        Dtype.BF16, false);
  }

  /** One 8,192-token prompt chunk: compute-bound prefill at the GEMM plateau. */
  private static BatchWork prefill() {
    BatchWork w = new BatchWork();
    w.addPrefillChunk(8192, 0, true);
    return w;
  }

  /**
   * The demanded power of the stage at clock {@code mhz}, by hand from the PowerModel formula:
   * P = idle + (sm_active_w · s_sm + tensor_w · u_tensor) · k · (V(f)/V(max))² + memory_w · u_mem over
   * the busy part, idle over the rest (H100: 120, 345, 310, 388 W; V 0.70 V to 990 MHz, 1.00 V at 1,980 MHz).
   */
  private static double handDemandW(Roofline r, BatchWork w, double mhz) {
    IterationCost c = new IterationCost();
    double k = mhz / MAX;
    r.cost(w, k, c);
    double t = c.totalS();
    double busy = c.activity.stageBusyS(0);
    double sSm = c.activity.stageSmActiveS(0) / busy;
    double uMem = c.activity.stageBytes(0) / (3350e9) / busy;
    double uTensor = c.activity.stageTensorPeakS(0) / k / busy;
    double v = mhz <= 990 ? 0.70 : 0.70 + 0.30 * (mhz - 990) / 990;
    double d = k * v * v;
    double p = 120 + (345 * sSm + 310 * uTensor) * d + 388 * uMem;
    return (p * busy + 120 * (t - busy)) / t;
  }

  @Test
  void aCapThatBindsRunsAtTheHighestStepWhosePowerFits() {
    assertThat(H100.hbmGbPerS().value()).isEqualTo(3350);
    Roofline r = roofline();
    BatchWork w = prefill();
    double boost = handDemandW(r, w, MAX);
    System.out.printf("H100 prefill 8,192 tokens: demanded %.1f W at 1,980 MHz%n", boost);
    // 650 W: the plateau (120 + 345 + 310 · 0.758 = 700 W while busy) less the idle CPU part of the step
    assertThat(boost).isBetween(600.0, 700.0);
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 500);
    IterationCost c = new IterationCost();
    g.cost(r, w, c);
    double f = g.clockMhz();
    System.out.printf("under 500 W: %.0f MHz, %.2f W there, %.2f W one step up%n", f, handDemandW(r, w, f),
        handDemandW(r, w, f + 15));
    assertThat(g.reason()).isEqualTo(ClockGovernor.SW_POWER_CAP);
    assertThat((MAX - f) % 15).isZero();
    assertThat(handDemandW(r, w, f)).isLessThanOrEqualTo(500 + 1e-9);
    assertThat(handDemandW(r, w, f + 15)).isGreaterThan(500);
    // the cost handed back is the one at the chosen clock, and its power is the demanded power
    assertThat(c.activity.clockFactor()).isEqualTo(f / MAX);
    assertThat(StagePower.of(H100).watts(c.activity, 0, c.totalS())).isCloseTo(handDemandW(r, w, f), within(1e-9));
    assertThat(g.unmetS()).isZero();
  }

  /**
   * A rack of one DGX H100 (host_idle_w 2,200 W, 8 GPUs) with power_budget_w 6,200 W: each GPU's
   * share is (6,200 − 2,200) / 8 = 500 W (sim.Placement), which governs the 8,192-token prefill as
   * the 500 W cap does, to the highest step whose hand-derived demand is within 500 W, the reason
   * rack_power_budget.
   */
  @Test
  void aRackBudgetShareBindsAsACapOfTheSameWattsWithItsOwnReason() {
    Roofline r = roofline();
    BatchWork w = prefill();
    double shareW = (6200 - 2200) / 8.0;
    ClockGovernor rack = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, Double.NaN)
        .rackBudget(shareW);
    IterationCost c = new IterationCost();
    rack.cost(r, w, c);
    double f = rack.clockMhz();
    System.out.printf("rack share %.0f W: %.0f MHz%n", shareW, f);
    assertThat(ClockGovernor.reasonName(rack.reason())).isEqualTo("rack_power_budget");
    assertThat((MAX - f) % 15).isZero();
    assertThat(handDemandW(r, w, f)).isLessThanOrEqualTo(500 + 1e-9);
    assertThat(handDemandW(r, w, f + 15)).isGreaterThan(500);
    ClockGovernor cap = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 500);
    cap.cost(r, w, new IterationCost());
    assertThat(f).isEqualTo(cap.clockMhz());
    assertThat(rack.throttledS(ClockGovernor.RACK_POWER_BUDGET)).isEqualTo(c.totalS());
    assertThat(rack.throttledS(ClockGovernor.SW_POWER_CAP)).isZero();
    assertThat(rack.unmetS()).isZero();
  }

  @Test
  void theLowerOfCapAndRackShareBindsAndNamesItself() {
    Roofline r = roofline();
    BatchWork w = prefill();
    // cap 450 W under a 500 W share: the cap binds, at the highest step within 450 W
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 450).rackBudget(500);
    g.cost(r, w, new IterationCost());
    assertThat(ClockGovernor.reasonName(g.reason())).isEqualTo("sw_power_cap");
    assertThat(handDemandW(r, w, g.clockMhz())).isLessThanOrEqualTo(450 + 1e-9);
    assertThat(handDemandW(r, w, g.clockMhz() + 15)).isGreaterThan(450);
    // cap 550 W over a 500 W share: the share binds
    ClockGovernor s = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 550).rackBudget(500);
    s.cost(r, w, new IterationCost());
    assertThat(ClockGovernor.reasonName(s.reason())).isEqualTo("rack_power_budget");
    assertThat(handDemandW(r, w, s.clockMhz())).isLessThanOrEqualTo(500 + 1e-9);
    assertThat(handDemandW(r, w, s.clockMhz() + 15)).isGreaterThan(500);
    // a share at or above the 700 W board limit never binds (as a cap there)
    ClockGovernor none = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, Double.NaN)
        .rackBudget(700);
    none.cost(r, w, new IterationCost());
    assertThat(none.clockMhz()).isEqualTo(MAX);
    assertThat(none.reason()).isEqualTo(ClockGovernor.NONE);
  }

  @Test
  void belowTheLowestClockTheRackShareIsUnmetAndCounted() {
    // a 125 W share: even 210 MHz demands more (the cap's case below); min clock, counted as unmet
    Roofline r = roofline();
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, Double.NaN).rackBudget(125);
    IterationCost c = new IterationCost();
    g.cost(r, prefill(), c);
    assertThat(g.clockMhz()).isEqualTo(210);
    assertThat(ClockGovernor.reasonName(g.reason())).isEqualTo("rack_power_budget");
    assertThat(g.unmetS()).isEqualTo(c.totalS());
  }

  @Test
  void belowTheLowestClockTheDemandIsUnmetAndCounted() {
    Roofline r = roofline();
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 125);
    IterationCost c = new IterationCost();
    g.cost(r, prefill(), c);
    assertThat(g.clockMhz()).isEqualTo(210);
    assertThat(g.unmetS()).isEqualTo(c.totalS());
  }

  @Test
  void boostWithTheDefaultCapLeavesIterationTimesAsTheyAre() {
    Roofline r = roofline();
    for (ClockGovernor g : new ClockGovernor[] {new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false,
        Double.NaN), new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, 700)}) {
      for (int tokens : new int[] {1, 512, 8192}) {
        BatchWork w = new BatchWork();
        w.addPrefillChunk(tokens, 0, true);
        IterationCost before = new IterationCost();
        r.cost(w, before);
        IterationCost after = new IterationCost();
        g.cost(r, w, after);
        assertThat(after.totalS()).isEqualTo(before.totalS());
        assertThat(g.clockMhz()).isEqualTo(MAX);
        assertThat(g.reason()).isEqualTo(ClockGovernor.NONE);
      }
    }
  }

  @Test
  void aLockedClockRunsThereAndSaysSo() {
    Roofline r = roofline();
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, 1500, true, Double.NaN);
    IterationCost c = new IterationCost();
    g.cost(r, prefill(), c);
    assertThat(g.clockMhz()).isEqualTo(1500);
    assertThat(ClockGovernor.reasonName(g.reason())).isEqualTo("locked");
    assertThat(c.activity.clockFactor()).isEqualTo(1500 / MAX);
  }

  /** A governor that watches one GPU at {@code tempC} with a 55 °C inlet (R 0.058 °C/W), H100 slowdown 87 / 89 °C. */
  private static ClockGovernor hot(double tempC, double capW) {
    // starting at the steady state of P0 = (T − T_in) / R, the GPU stays at T until its power changes
    dev.tokentherm.thermal.RcModel rc = dev.tokentherm.thermal.RcModel.uniform(1, 0.058, 1034, 55, (tempC - 55) / 0.058);
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, capW).thermalLimits(87, 89);
    g.watch(rc, new int[] {0}, 1);
    return g;
  }

  @Test
  void atTheSlowdownTheClockIsTheHighestStepWhoseSteadyTemperatureStaysAtIt() {
    Roofline r = roofline();
    BatchWork w = prefill();
    // unthrottled: 55 + P(1,980 MHz) · 0.058 is above 87 °C (P > 551.7 W)
    assertThat(55 + handDemandW(r, w, MAX) * 0.058).isGreaterThan(87);
    ClockGovernor g = hot(87.5, Double.NaN);
    IterationCost c = new IterationCost();
    g.cost(0, r, w, c);
    double f = g.clockMhz();
    System.out.printf("87.5 °C, 55 °C inlet: %.0f MHz, steady %.3f °C there, %.3f °C one step up%n", f,
        55 + handDemandW(r, w, f) * 0.058, 55 + handDemandW(r, w, f + 15) * 0.058);
    assertThat(ClockGovernor.reasonName(g.reason())).isEqualTo("sw_thermal_slowdown");
    assertThat((MAX - f) % 15).isZero();
    assertThat(55 + handDemandW(r, w, f) * 0.058).isLessThanOrEqualTo(87 + 1e-9);
    assertThat(55 + handDemandW(r, w, f + 15) * 0.058).isGreaterThan(87);
    assertThat(c.activity.clockFactor()).isEqualTo(f / MAX);
    assertThat(g.throttledS(ClockGovernor.SW_THERMAL_SLOWDOWN)).isEqualTo(c.totalS());
    // at the hardware slowdown the same clock is halved
    ClockGovernor hw = hot(89.5, Double.NaN);
    IterationCost h = new IterationCost();
    hw.cost(0, r, w, h);
    assertThat(hw.clockMhz()).isEqualTo(f / 2);
    assertThat(ClockGovernor.reasonName(hw.reason())).isEqualTo("hw_slowdown");
    assertThat(h.activity.clockFactor()).isEqualTo(f / 2 / MAX);
    assertThat(hw.throttledS(ClockGovernor.HW_SLOWDOWN)).isEqualTo(h.totalS());
    // with a cap the lower clock wins and names the reason: 500 W is below the thermal limit's 551.7 W
    ClockGovernor capped = hot(87.5, 500);
    capped.cost(0, r, w, new IterationCost());
    assertThat(capped.reason()).isEqualTo(ClockGovernor.SW_POWER_CAP);
    assertThat(capped.clockMhz()).isLessThan(f);
    ClockGovernor loose = hot(87.5, 600);
    loose.cost(0, r, w, new IterationCost());
    assertThat(loose.reason()).isEqualTo(ClockGovernor.SW_THERMAL_SLOWDOWN);
    assertThat(loose.clockMhz()).isEqualTo(f);
  }

  @Test
  void belowTheSlowdownNothingChanges() {
    Roofline r = roofline();
    BatchWork w = prefill();
    IterationCost before = new IterationCost();
    r.cost(w, before);
    ClockGovernor g = hot(86.9, Double.NaN);
    IterationCost after = new IterationCost();
    g.cost(0, r, w, after);
    assertThat(after.totalS()).isEqualTo(before.totalS());
    assertThat(after.activity.clockFactor()).isEqualTo(1.0);
    assertThat(g.clockMhz()).isEqualTo(MAX);
    assertThat(g.reason()).isEqualTo(ClockGovernor.NONE);
    assertThat(g.throttledS(ClockGovernor.SW_THERMAL_SLOWDOWN)).isZero();
  }

  @Test
  void atTheShutdownTemperatureTheIterationDoesNotRunAndTheGovernorSaysSo() {
    Roofline r = roofline();
    BatchWork w = prefill();
    // one GPU, R 0.058 °C/W, C 1,034 J/°C (RC = 59.972 s), at 0 W from a 60 °C inlet, then 700 W from
    // t = 0: T(t) = 100.6 + (60 − 100.6) · e^(−t/RC) (steady 60 + 700 · 0.058 = 100.6 °C), which reaches
    // the H100's 92 °C shutdown at t = RC · ln(40.6 / 8.6) = 93.076 s (0.143 °C/s there)
    dev.tokentherm.thermal.RcModel rc = dev.tokentherm.thermal.RcModel.uniform(1, 0.058, 1034, 60, 0);
    rc.power(0, 0, 700);
    ClockGovernor g = new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX, false, Double.NaN)
        .thermalLimits(87, 89).shutdownAt(92);
    g.watch(rc, new int[] {0}, 1);
    IterationCost before = new IterationCost();
    g.cost(93_000_000_000L, r, w, before); // 91.99 °C: hardware slowdown, the clock halved, and it runs
    assertThat(g.overheated()).isFalse();
    assertThat(g.reason()).isEqualTo(ClockGovernor.HW_SLOWDOWN);
    assertThat(before.totalS()).isPositive();
    double throttled = g.throttledS(ClockGovernor.HW_SLOWDOWN);
    IterationCost at = new IterationCost();
    g.cost(93_200_000_000L, r, w, at); // 92.02 °C: at the shutdown nothing runs and nothing is counted
    assertThat(g.overheated()).isTrue();
    assertThat(at.totalS()).isZero();
    assertThat(g.throttledS(ClockGovernor.HW_SLOWDOWN)).isEqualTo(throttled);
    assertThat(ClockGovernor.reasonName(ClockGovernor.SHUTDOWN)).isEqualTo("shutdown");
    // a shutdown below the hardware slowdown is refused (the profile's order: slowdown ≤ hw ≤ shutdown)
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClockGovernor(StagePower.of(H100), MAX, 210, 15, MAX,
        false, Double.NaN).thermalLimits(87, 89).shutdownAt(88)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAShutdownThresholdTheGovernorNeverStopsAReplica() {
    // 95 °C, above every threshold it was given: the hardware slowdown halves the clock, nothing more
    ClockGovernor g = hot(95, Double.NaN);
    IterationCost c = new IterationCost();
    g.cost(0, roofline(), prefill(), c);
    assertThat(g.overheated()).isFalse();
    assertThat(g.reason()).isEqualTo(ClockGovernor.HW_SLOWDOWN);
  }
}
