package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.metrics.DeviceSample;
import dev.tokentherm.metrics.RequestSink;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.metrics.TurnSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scenarios/heatwave.yaml: one air-cooled DGX H100 under sustained load while the supply air ramps
 * from 30 to 56 °C over an hour and 3 of its 12 fans fail at 3,300 s. Checked against the hand
 * derivation of the README's "Heatwave" section.
 */
class HeatwaveScenarioTest {
  /** H100 profile: R at full fan speed, °C/W, and C, J/°C; the die's time constant τ = R·C. */
  private static final double R_FULL = 0.058;
  private static final double C = 1034;
  /** The supply ramp, °C/s: 26 °C over 3,600 s. */
  private static final double RAMP = 26.0 / 3600;

  private static final List<double[]> SAMPLES = new ArrayList<>(); // time, gpu, power, temp, reason, inlet, fan
  private static RunResult run;

  @BeforeAll
  static void runTheHeatwave() throws Exception {
    SimTestSupport.Loaded l = SimTestSupport.file("scenarios/heatwave.yaml");
    SampleSink sink = new SampleSink() {
      @Override
      public void sample(double t, String d, int running, int waiting, long used, long blocks) {}

      @Override
      public void device(DeviceSample d) {
        String reason = d.throttleReason();
        double thermal = reason.equals("sw_thermal_slowdown") ? 1 : reason.equals("hw_slowdown") ? 2 : 0;
        SAMPLES.add(new double[] {d.timeS(), d.gpu(), d.powerW(), d.tempC(), thermal, d.inletC(), d.fanSpeed()});
      }

      @Override
      public void close() {}
    };
    run = Simulation.run(l.scenario(), l.profiles(), new RunSinks(TurnSink.NONE, RequestSink.NONE, sink),
        Progress.NONE, l.baseDir());
  }

  @Test
  void throttlingBeginsAtTheHandDerivedInlet() {
    RunResult.Cooling c = run.gpuBooks().cooling();
    assertThat(c.firstThrottleGpu()).isNotNegative();
    double onsetS = c.firstThrottleS();
    // Before the fans fail, the fans are at full speed from 75 °C on: R = R_full. With the die's power P(t)
    // and its inlet ramping at r, the RC solution is T = T_in − r·τ + R·P̃, P̃ the power averaged with the
    // kernel e^(−s/τ)/τ over the past (τ = R·C = 60 s). Slowdown begins at T = 87 °C:
    //   T_in(onset) = 87 − R·P̃ + r·τ
    // P̃ from the GPU's 1 s power samples up to the onset.
    double tau = R_FULL * C;
    double a = Math.exp(-1 / tau);
    double weighted = 0;
    double weights = 0;
    List<double[]> mine = new ArrayList<>();
    for (double[] s : SAMPLES) {
      if (s[1] == c.firstThrottleGpu() && s[0] <= onsetS) {
        mine.add(s);
      }
    }
    for (int k = 0; k < mine.size(); k++) {
      double w = (1 - a) * Math.pow(a, k);
      weighted += w * mine.get(mine.size() - 1 - k)[2];
      weights += w;
    }
    double powerW = weighted / weights;
    assertThat(powerW).isBetween(550.0, 700.0); // sustained load, below the board limit
    double expectedInletC = 87 - R_FULL * powerW + RAMP * tau;
    assertThat(c.firstThrottleInletC()).isCloseTo(expectedInletC, within(0.5));
    // past the allowable inlet (ASHRAE A1: 32 °C), and before the fans fail
    assertThat(c.firstThrottleInletC()).isGreaterThan(32);
    assertThat(onsetS).isLessThan(3300);
  }

  @Test
  void whileThrottledTheDieIsHeldAtTheSlowdownAndNeverReachesTheHardwareSlowdown() {
    // a throttled clock f is the highest whose steady T_in + P(f)·R is at most 87 °C, and the GPU runs
    // at boost again once it is below: the die is held at the threshold, T_in + P(f)·R = 87 ± 0.2 °C
    int throttled = 0;
    for (double[] s : SAMPLES) {
      if (s[4] == 1) {
        throttled++;
        assertThat(s[3]).isCloseTo(87, within(0.2));
      }
      assertThat(s[4]).isNotEqualTo(2);
    }
    assertThat(throttled).isGreaterThan(100);
    assertThat(run.gpuPeakC()).isLessThan(89);
    assertThat(run.gpuBooks().throttledS()[1]).isZero(); // no hw_slowdown GPU-seconds
    assertThat(run.gpuBooks().throttledS()[0]).isPositive();
  }

  @Test
  void theFanFailureCutsTheAirflowAndTheFansRunFullBeforeTheClocksDrop() {
    RunResult.Cooling c = run.gpuBooks().cooling();
    assertThat(c.fansFailed()).isEqualTo(3);
    for (double[] s : SAMPLES) {
      if (s[4] != 0) {
        assertThat(s[6]).isEqualTo(1); // full speed wherever a clock was thermally lowered
      }
    }
    // after the failure the same power holds the die at 87 °C only at a lower clock: more throttled
    // GPU-seconds per second than before (R = 0.014 + 0.044 · 0.75^−0.8 = 0.0694 °C/W > 0.058)
    double before = 0;
    double after = 0;
    for (double[] s : SAMPLES) {
      if (s[4] == 1 && s[0] > c.firstThrottleS()) {
        if (s[0] <= 3300) {
          before++;
        } else {
          after++;
        }
      }
    }
    assertThat(after / (run.endNs() * 1e-9 - 3300)).isGreaterThan(before / (3300 - c.firstThrottleS()));
  }

  @Test
  void everyLawHoldsWithThrottlingActive() {
    assertThat(Conservation.violations(run)).isEmpty();
    assertThat(run.gpuBooks().cooling().inletPeakC()).isGreaterThan(56).isLessThan(56 + 2);
  }
}
