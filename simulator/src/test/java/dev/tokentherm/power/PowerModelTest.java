package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import org.junit.jupiter.api.Test;

/** The power model's value for hand-built activity, worked by hand. */
class PowerModelTest {
  /** 120 W static, 300 W at full SM activity, 400 W at peak bandwidth, 200 W at tensor peak, 2 W/°C, 700 W limit. */
  private static final PowerModel MODEL = new PowerModel(120, 300, 400, 200, 2, 700);

  @Test
  void noActivityIsActiveIdle() {
    assertThat(MODEL.watts(0, 0, 0, 0)).isEqualTo(120.0);
  }

  @Test
  void eachActivityAddsItsCoefficientTimesItsShare() {
    // a decode-like interval: SMs active 40 % of it, HBM at 65 % of peak, tensor cores at 3 %:
    //   120 + 300 · 0.40 + 400 · 0.65 + 200 · 0.03 = 120 + 120 + 260 + 6 = 506 W
    assertThat(MODEL.watts(0.40, 0.65, 0.03, 0)).isCloseTo(506.0, within(1e-9));
    // 5 °C above the fit temperature: + 2 · 5 = 10 W of leakage
    assertThat(MODEL.watts(0.40, 0.65, 0.03, 5)).isCloseTo(516.0, within(1e-9));
  }

  @Test
  void powerIsCappedAtTheLimit() {
    // a prefill-like interval: 120 + 300 · 1 + 400 · 0.2 + 200 · 0.75 = 650 W, under the limit;
    // at tensor 1.0: 120 + 300 + 80 + 200 = 700 W; above that the limit holds
    assertThat(MODEL.watts(1, 0.2, 0.75, 0)).isCloseTo(650.0, within(1e-9));
    assertThat(MODEL.watts(1, 0.2, 1.0, 0)).isCloseTo(700.0, within(1e-9));
    assertThat(MODEL.watts(1, 1, 1, 0)).isEqualTo(700.0);
  }

  @Test
  void aProfileGivesItsNumbers() {
    GpuProfile h100 = TestProfiles.gpu("h100-sxm");
    PowerModel m = PowerModel.of(h100);
    GpuProfile.Power k = h100.power();
    assertThat(m.activeIdleW()).isEqualTo(h100.activeIdleW().value());
    assertThat(m.powerLimitW()).isEqualTo(h100.powerLimitW().value());
    assertThat(m.watts(1, 0, 0, 0)).isCloseTo(h100.activeIdleW().value() + k.smActiveW().value(), within(1e-9));
    assertThat(m.watts(0, 1, 0, 0)).isCloseTo(Math.min(h100.powerLimitW().value(),
        h100.activeIdleW().value() + k.memoryW().value()), within(1e-9));
  }

  @Test
  void atHalfClockTheSmAndTensorTermsScaleWithClockAndVoltageSquared() {
    // the H100 profile's curve: 0.70 V at 990 MHz (and below), rising linearly to 1.00 V at 1,980 MHz.
    // Half clock, 990 MHz: V / V_ref = 0.70 / 1.00, dynamic scale 0.5 · 0.70² = 0.245.
    // An interval with s_sm 0.40, u_mem 0.65, u_tensor 0.03 (against the peak at half clock):
    //   120 + (345 · 0.40 + 310 · 0.03) · 0.245 + 388 · 0.65 = 120 + (138 + 9.3) · 0.245 + 252.2
    //   = 120 + 36.0885 + 252.2 = 408.2885 W (at the boost clock: 120 + 147.3 + 252.2 = 519.5 W)
    PowerModel m = PowerModel.of(TestProfiles.gpu("h100-sxm"));
    assertThat(m.dynamicScale(0.5)).isCloseTo(0.245, within(1e-12));
    assertThat(m.watts(0.40, 0.65, 0.03, 0, 0.5)).isCloseTo(408.2885, within(1e-9));
    assertThat(m.watts(0.40, 0.65, 0.03, 0, 1.0)).isCloseTo(519.5, within(1e-9));
    // three quarters, 1,485 MHz: V = 0.70 + 0.30 · (1,485 − 990) / 990 = 0.85 V, scale 0.75 · 0.85² = 0.541875
    assertThat(m.dynamicScale(0.75)).isCloseTo(0.541875, within(1e-12));
    // below the curve's first point the voltage stays at its floor: 105 MHz (k = 0.053...) scales as k · 0.49
    assertThat(m.dynamicScale(105.0 / 1980)).isCloseTo(105.0 / 1980 * 0.49, within(1e-12));
    // memory power, active idle and the cap do not move with the clock
    assertThat(m.watts(0, 1, 0, 0, 0.5)).isEqualTo(m.watts(0, 1, 0, 0));
  }

  @Test
  void theReferenceClockGivesTheFittedFormBitForBit() {
    PowerModel m = PowerModel.of(TestProfiles.gpu("h100-sxm"));
    assertThat(m.dynamicScale(1.0)).isEqualTo(1.0);
    assertThat(m.watts(0.257373, 0.644597, 0.00224, 0, 1.0)).isEqualTo(m.watts(0.257373, 0.644597, 0.00224, 0));
  }
}
