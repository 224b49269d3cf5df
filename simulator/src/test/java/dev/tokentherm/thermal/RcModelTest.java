package dev.tokentherm.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The lumped RC per GPU against numbers worked by hand. H100 SXM profile: R = 0.058 °C/W, C = 1034
 * J/°C, so RC = 59.972 s; inlet 24 °C.
 */
class RcModelTest {
  private static final double R = 0.058;
  private static final double C = 1034;
  private static final long S = 1_000_000_000L;

  @Test
  void aStepOfPowerApproachesTinPlusPRExponentially() {
    // from 24 °C (no power before), 500 W from t = 0: T(t) = 24 + 500 · 0.058 · (1 − e^(−t / 59.972))
    //   t = 10 s:  24 + 29 · (1 − e^(−0.166745)) = 24 + 29 · 0.153584 = 28.454 °C
    //   t = 60 s:  24 + 29 · (1 − e^(−1.000467)) = 24 + 29 · 0.632292 = 42.336 °C
    //   t = 300 s: 24 + 29 · (1 − e^(−5.002334)) = 24 + 29 · 0.993278 = 52.805 °C
    RcModel m = RcModel.uniform(1, R, C, 24, 0);
    assertThat(m.tempC(0, 0)).isEqualTo(24.0);
    m.power(0, 0, 500);
    assertThat(m.tempC(0, 10 * S)).isCloseTo(28.454, within(0.01));
    assertThat(m.tempC(0, 60 * S)).isCloseTo(42.336, within(0.01));
    assertThat(m.tempC(0, 300 * S)).isCloseTo(52.805, within(0.01));
    // reading is not a change: the same power set again at 60 s leaves the curve where it was
    m.power(0, 60 * S, 500);
    assertThat(m.tempC(0, 300 * S)).isCloseTo(52.805, within(0.01));
  }

  @Test
  void aPowerChangeMidwayStartsANewApproachFromWhereItWas() {
    // 600 W for 30 s from 24 °C: T1 = 24 + 34.8 · (1 − e^(−30 / 59.972)) = 24 + 34.8 · 0.393611 = 37.698 °C;
    // then 120 W (steady state 24 + 6.96 = 30.96 °C) for 60 s:
    //   T2 = 30.96 + (37.698 − 30.96) · e^(−60 / 59.972) = 30.96 + 6.738 · 0.367708 = 33.437 °C
    RcModel m = RcModel.uniform(1, R, C, 24, 0);
    m.power(0, 0, 600);
    m.power(0, 30 * S, 120);
    assertThat(m.tempC(0, 30 * S)).isCloseTo(37.698, within(0.01));
    assertThat(m.tempC(0, 90 * S)).isCloseTo(33.437, within(0.01));
    // the peak is the end of the heating stretch, not the last reading
    assertThat(m.peakC(0, 90 * S)).isCloseTo(37.698, within(0.01));
    assertThat(m.steadyStateC(0)).isCloseTo(30.96, within(1e-12));
  }

  @Test
  void theSteadyStateIsTheInletPlusPowerTimesResistance() {
    // a GPU starts at the steady state of its initial power: 24 + 75 · 0.058 = 28.35 °C, and stays there
    RcModel m = RcModel.uniform(2, R, C, 24, 75);
    assertThat(m.tempC(0, 0)).isCloseTo(28.35, within(1e-12));
    assertThat(m.tempC(0, 3600 * S)).isCloseTo(28.35, within(1e-12));
    // 650 W for 50 RC (2,999 s): e^−50 ≈ 2e−22 of the gap left, so 24 + 650 · 0.058 = 61.7 °C
    m.power(1, 0, 650);
    assertThat(m.tempC(1, 3000 * S)).isCloseTo(61.7, within(1e-9));
    assertThat(m.peakC(1, 3000 * S)).isCloseTo(61.7, within(1e-9));
    // and the other GPU never moved
    assertThat(m.peakC(0, 3000 * S)).isCloseTo(28.35, within(1e-12));
  }

  @Test
  void anAirCooledH100UnderSustainedLoadSettlesInThePublishedBand() {
    // "Cooling Matters" (2025): air-cooled H100s under sustained load at a 24 °C inlet run at 54–72 °C.
    // Batched decode draws about 450–700 W (the power model's range at large batches, capped at the
    // 700 W limit): 24 + 0.058 · P after 10 RC. At 550 W: 24 + 31.9 = 55.9 °C; at 700 W: 64.6 °C.
    for (double watts : new double[] {550, 600, 650, 700}) {
      RcModel m = RcModel.uniform(1, R, C, 24, 120);
      m.power(0, 0, watts);
      assertThat(m.tempC(0, 600 * S)).as("%s W", watts).isBetween(54.0, 72.0)
          .isCloseTo(24 + 0.058 * watts, within(0.01));
    }
  }

  @Test
  void aStepOfInletMovesTheSteadyStateByTheSameStep() {
    // 400 W at 24 °C settled (47.2 °C); the inlet steps to 30 °C: T(t) = 53.2 − 6 · e^(−t / 59.972);
    // at 60 s: 53.2 − 6 · 0.367708 = 50.994 °C
    RcModel m = RcModel.uniform(1, R, C, 24, 400);
    assertThat(m.tempC(0, 0)).isCloseTo(47.2, within(1e-12));
    m.conditions(0, 0, 30, R); // the cooling loop's step: a new inlet, the same resistance
    assertThat(m.tempC(0, 60 * S)).isCloseTo(50.994, within(0.01));
  }

  @Test
  void theSameChangesGiveTheSameTemperaturesBitForBit() {
    double[] a = run();
    double[] b = run();
    assertThat(b).containsExactly(a);
  }

  private static double[] run() {
    RcModel m = RcModel.uniform(1, R, C, 24, 120);
    double[] out = new double[1001];
    long t = 0;
    for (int i = 0; i < 1000; i++) {
      t += 1_000_000 + (i * 7919L) % 99_000_000;
      m.power(0, t, i % 3 == 0 ? 120 : 613.37);
      out[i] = m.tempC(0, t);
    }
    out[1000] = m.peakC(0, t);
    return out;
  }

  @Test
  void refusesNonPositiveParameters() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RcModel.uniform(1, 0, C, 24, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }

  @Test
  void theShortStretchDecayIsStrictExpToAnUlp() {
    // the polynomial's remainder |x|^7/7! < 3.4e-17 for |x| < 1/64: within one ulp of StrictMath.exp
    for (int i = 0; i <= 100_000; i++) {
      double x = -0.015625 * i / 100_000;
      double strict = StrictMath.exp(x);
      org.assertj.core.api.Assertions.assertThat(Math.abs(RcModel.decay(x) - strict)).as("x = %s", x)
          .isLessThanOrEqualTo(Math.ulp(strict));
    }
    org.assertj.core.api.Assertions.assertThat(RcModel.decay(-0.5)).isEqualTo(StrictMath.exp(-0.5));
  }
}
