package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.metrics.RequestSink;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.metrics.TurnSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPUs' die temperatures in a whole run (observed only): mixed-prefix-kv keeps one H100 of a
 * DGX busy for about 150 s (≈ 2.5 RC of 60 s) at 24 °C inlet, the other seven unused.
 */
class ThermalTest {
  /** Every devices.csv row's temperature, in order: GPU, then °C. */
  private static List<double[]> temperatures(SimTestSupport.Loaded l) throws SetupException {
    List<double[]> rows = new ArrayList<>();
    SampleSink sink = new SampleSink() {
      @Override
      public void sample(double t, String d, int running, int waiting, long used, long blocks) {}

      @Override
      public void device(double t, int gpu, String d, double powerW, double hbmGib, double tempC) {
        rows.add(new double[] {t, gpu, powerW, tempC});
      }

      @Override
      public void close() {}
    };
    RunResult r = Simulation.run(l.scenario(), l.profiles(), new RunSinks(TurnSink.NONE, RequestSink.NONE, sink),
        Progress.NONE, l.baseDir());
    rows.add(r.gpuBooks().peakC().clone());
    return rows;
  }

  @Test
  void aBusyH100SettlesInThePublishedBandAndUnusedOnesStayAtIdle() throws Exception {
    SimTestSupport.Loaded l = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml");
    List<double[]> rows = temperatures(l);
    double[] peakC = rows.remove(rows.size() - 1);
    // the unused GPUs never change power: idle 75 W for ever, 24 + 75 · 0.058 = 28.35 °C
    for (int g = 1; g < 8; g++) {
      assertThat(peakC[g]).isCloseTo(28.35, within(1e-9));
    }
    // the busy GPU starts at active idle's steady state, 24 + 120 · 0.058 = 30.96 °C, and under
    // sustained load (≈ 580 W mean: 24 + 0.058 · 580 ≈ 57.6 °C) settles in "Cooling Matters"' 54–72 °C
    assertThat(peakC[0]).isBetween(54.0, 72.0);
    double first = Double.NaN;
    for (double[] row : rows) {
      if (row[1] == 0) {
        first = Double.isNaN(first) ? row[3] : first;
        // never below active idle's steady state, never above the peak, nor the 700 W limit's 64.6 °C
        assertThat(row[3]).isBetween(30.96 - 1e-9, peakC[0] + 1e-9).isLessThanOrEqualTo(24 + 700 * 0.058);
      } else {
        assertThat(row[3]).isCloseTo(28.35, within(1e-9));
      }
    }
    // a second in, the die has risen at most P_max · (1 − e^(−1/60)) · R ≈ 0.67 °C above 30.96
    assertThat(first).isBetween(30.96, 30.96 + 0.7);
  }

  @Test
  void theSameRunGivesTheSameTemperatures() throws Exception {
    SimTestSupport.Loaded l = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml");
    List<double[]> a = temperatures(l);
    List<double[]> b = temperatures(l);
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).containsExactly(a.get(i));
    }
  }
}
