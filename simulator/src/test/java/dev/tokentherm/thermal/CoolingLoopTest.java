package dev.tokentherm.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The cooling loop against hand derivations. The H100 numbers of the profiles: R_full 0.058 °C/W
 * (die → air at full fan speed), R_jc 0.014, airflow exponent 0.8, C 1,034 J/°C; dgx-h100 fans:
 * min speed 0.3, ramp 50 → 75 °C, 1,200 W at full speed for 12 fans.
 */
class CoolingLoopTest {
  private static final double R_FULL = 0.058;
  private static final double R_JC = 0.014;
  private static final FanCurve CURVE = new FanCurve(0.3, 50, 75);
  private static final CoolingLoop.Gpu H100 = new CoolingLoop.Gpu(R_FULL, R_JC, 0.8, R_JC + 0.016);

  private static double r(double airflow) {
    return R_JC + (R_FULL - R_JC) * Math.pow(airflow, -0.8);
  }

  /** One node of {@code gpus} GPUs in one rack, 12 fans of 1,200 W in all, host 2,200 W. */
  private static CoolingLoop node(int gpus, SupplyAir air, double recirculationCPerKw, boolean liquid) {
    CoolingLoop.Gpu[] g = new CoolingLoop.Gpu[gpus];
    Arrays.fill(g, H100);
    return new CoolingLoop(liquid, new CoolingLoop.Node[] {new CoolingLoop.Node(0, 0, gpus, CURVE, 12, 1200, 2200)}, g,
        1, air, recirculationCPerKw, 25);
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  @Test
  void theFanCurveRisesLinearlyBetweenItsTemperatures() {
    assertThat(CURVE.speedAt(40)).isEqualTo(0.3);
    assertThat(CURVE.speedAt(62.5)).isCloseTo(0.3 + 0.7 * 0.5, within(1e-12)); // halfway: 0.65
    assertThat(CURVE.speedAt(80)).isEqualTo(1);
  }

  @Test
  void theSupplyAirIsLinearBetweenPointsAndFlatOutside() {
    SupplyAir air = new SupplyAir(new double[] {600, 7800}, new double[] {27, 51});
    assertThat(air.at(0)).isEqualTo(27);
    assertThat(air.at(4200)).isCloseTo(39, within(1e-12)); // halfway of 7,200 s: 27 + 24 / 2
    assertThat(air.at(9000)).isEqualTo(51);
  }

  @Test
  void theStartIsTheFixedPointOfFanSpeedAndTemperature() {
    CoolingLoop loop = node(1, SupplyAir.constant(30), 0, false);
    RcModel rc = loop.start(new double[] {400}, new double[] {1034});
    double s = loop.fanSpeed(0);
    double t = rc.tempC(0, 0);
    // both laws at once: T = 30 + 400 · R(s) and s = 0.3 + 0.7 · (T − 50) / 25
    assertThat(t).isCloseTo(30 + 400 * r(s), within(1e-6));
    assertThat(s).isCloseTo(0.3 + 0.7 * (t - 50) / 25, within(1e-9));
    // and it is the one root: at T = 61 °C, s = 0.608, R = 0.014 + 0.044 · 0.608^−0.8 = 0.014 + 0.044 · 1.4889
    // = 0.0795, 30 + 31.8 = 61.8 > 61; at T = 62 °C, s = 0.636, R = 0.014 + 0.044 · 1.4364 = 0.0772, 30 + 30.9
    // = 60.9 < 62: so 61 < T < 62
    assertThat(t).isBetween(61.0, 62.0);
  }

  @Test
  void sustainedLoadsAtA24DegreeInletSettleInThePublishedAirBand() {
    // "Cooling Matters" (2025): air-cooled HGX H100 at 54–72 °C under load; liquid-cooled 41–50 °C
    for (double p = 300; p <= 700; p += 100) {
      CoolingLoop air = node(8, SupplyAir.constant(24), 0, false);
      double airC = air.start(filled(8, p), filled(8, 1034)).tempC(0, 0);
      assertThat(airC).as("air at %s W", p).isBetween(54.0, 72.0);
      CoolingLoop liquid = node(8, SupplyAir.constant(24), 0, true);
      double liquidC = liquid.start(filled(8, p), filled(8, 1034)).tempC(0, 0);
      // cold plate on 25 °C coolant: 25 + P · (0.014 + 0.016)
      assertThat(liquidC).isCloseTo(25 + p * 0.030, within(1e-9)).isLessThan(airC);
    }
  }

  @Test
  void noSteadyStateReachesTheSlowdownInsideTheAllowableInlet() {
    // ASHRAE A1 allows inlets up to 32 °C: at the 700 W limit, full speed would give 32 + 700 · 0.058 = 72.6 °C,
    // below the 75 °C of full speed, so the fans settle below full speed, at most at 75 °C, far from 87
    CoolingLoop loop = node(8, SupplyAir.constant(32), 0, false);
    assertThat(loop.start(filled(8, 700), filled(8, 1034)).tempC(0, 0)).isBetween(72.6, 75.0);
  }

  @Test
  void recirculationAddsToTheInletInProportionToTheRacksPower() {
    CoolingLoop loop = node(8, SupplyAir.constant(24), 0.1, false);
    RcModel rc = loop.start(filled(8, 120), filled(8, 1034));
    // 8 × 120 W at a low temperature: fans at min speed, nothing above it; host 2,200 W: 3.16 kW × 0.1 = 0.316 °C
    assertThat(loop.fanSpeed(0)).isEqualTo(0.3);
    assertThat(rc.inletC(0)).isCloseTo(24 + 0.1 * 3.16, within(1e-12));
    // a step told the rack's GPUs drew 8 × 500 W on average: 24 + 0.1 · (4.0 + 2.2 + fans above min) kW
    loop.step(1_000_000_000L, new double[] {4000});
    assertThat(rc.inletC(0)).isCloseTo(24 + 0.1 * 6.2, within(1e-12)); // fans were still at min speed: + 0
    assertThat(loop.recirculationPeakC()).isCloseTo(0.62, within(1e-12));
  }

  @Test
  void fansSpeedUpWithTheDieAndTheirEnergyIsTheCubeLaw() {
    CoolingLoop loop = node(1, SupplyAir.constant(24), 0, false);
    RcModel rc = loop.start(new double[] {120}, new double[] {1034});
    assertThat(loop.fanSpeed(0)).isEqualTo(0.3); // 24 + 120 · R(0.3) = 24 + 120 · 0.12928 = 39.5 °C < 50
    rc.power(0, 0, 700);
    long t1 = 120_000_000_000L; // two minutes at 700 W
    double at1 = rc.tempC(0, t1);
    loop.step(t1, new double[] {700});
    double s1 = CURVE.speedAt(at1);
    assertThat(loop.fanSpeed(0)).isEqualTo(s1);
    assertThat(rc.resistanceCPerW(0)).isCloseTo(r(s1), within(1e-12));
    // fans at min speed so far: no energy above it; then 1,200 · (s1³ − 0.3³) W for 10 s
    assertThat(loop.fanEnergyJ(t1)).isEqualTo(0);
    double w = 1200 * (s1 * s1 * s1 - 0.027);
    assertThat(loop.fanEnergyJ(t1 + 10_000_000_000L)).isCloseTo(10 * w, within(1e-9));
    assertThat(loop.fanEnergyJ(t1 / 2)).isEqualTo(0); // a read in the past
  }

  @Test
  void aFailedFanTakesItsShareOfTheAirflowAtOnce() {
    CoolingLoop loop = node(1, SupplyAir.constant(24), 0, false);
    RcModel rc = loop.start(new double[] {600}, new double[] {1034});
    double s = loop.fanSpeed(0);
    loop.failFans(0, 3, 5_000_000_000L);
    // 9 of 12 fans: airflow s · 0.75
    assertThat(rc.resistanceCPerW(0)).isCloseTo(r(s * 0.75), within(1e-12));
    assertThat(loop.fansFailed()).isEqualTo(3);
    // their power: 1,200 · 9/12 · s³ − 1,200 · 0.3³ from then on
    double w = 1200 * (0.75 * s * s * s - 0.027);
    double before = loop.fanEnergyJ(5_000_000_000L);
    assertThat(loop.fanEnergyJ(6_000_000_000L) - before).isCloseTo(w, within(1e-9));
  }
}
