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
      public void device(DeviceSample d) {
        rows.add(new double[] {d.timeS(), d.gpu(), d.powerW(), d.tempC()});
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
  void aBusyH100SettlesInThePublishedBandAndUnusedOnesStayNearIdle() throws Exception {
    SimTestSupport.Loaded l = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml");
    List<double[]> rows = temperatures(l);
    double[] peakC = rows.remove(rows.size() - 1);
    // One DGX H100 node, one rack; its fans (dgx-h100: 12 fans, 1,200 W, min speed 0.3) follow the hottest GPU.
    // R(s) = R_jc + (R_full − R_jc) · s^−0.8 with R_jc 0.014 and R_full 0.058 °C/W: at full speed 0.058, at min
    // speed 0.014 + 0.044 · 0.3^−0.8 = 0.014 + 0.044 · 2.6200 = 0.12928 °C/W. The inlet is 24 °C plus
    // recirculation 0.1 °C/kW of the rack: at most host 2.2 kW + 8 × 700 W + fans 1.2 kW = 9.0 kW, +0.9 °C.
    double rMin = 0.014 + 0.044 * Math.pow(0.3, -0.8);
    double inletMax = 24 + 0.1 * 9.0;
    // the unused GPUs draw idle 75 W for ever: between 24 + 75 · 0.058 = 28.35 and 24.9 + 75 · R(min)
    for (int g = 1; g < 8; g++) {
      assertThat(peakC[g]).isBetween(28.35, inletMax + 75 * rMin);
    }
    // the busy GPU, under sustained load (≈ 580 W mean), settles in "Cooling Matters"' 54–72 °C
    assertThat(peakC[0]).isBetween(54.0, 72.0);
    for (double[] row : rows) {
      double p = row[1] == 0 ? 700 : 75;
      // never below the coolest steady state of its lowest power, never above the hottest of its highest
      assertThat(row[3]).isBetween(24 + (row[1] == 0 ? 120 : 75) * 0.058 - 1e-9, inletMax + p * rMin);
    }
  }

  @Test
  void liquidCoolingHoldsTheDieNearTheCoolantAndNoneKeepsNoTemperatures() throws Exception {
    SimTestSupport.Loaded air = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml");
    SimTestSupport.Loaded liquid = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml", "cluster.racks.cooling=liquid");
    SimTestSupport.Loaded none = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml", "cluster.racks.cooling=none");
    RunResult a = Simulation.run(air.scenario(), air.profiles(), RunSinks.NONE, Progress.NONE, air.baseDir());
    RunResult l = Simulation.run(liquid.scenario(), liquid.profiles(), RunSinks.NONE, Progress.NONE, liquid.baseDir());
    RunResult n = Simulation.run(none.scenario(), none.profiles(), RunSinks.NONE, Progress.NONE, none.baseDir());
    // a cold plate on 25 °C coolant: R = 0.014 + 0.016 = 0.030 °C/W, so at most 25 + 700 · 0.030 = 46 °C
    // and at least the idle GPUs' 25 + 75 · 0.030 = 27.25 °C
    assertThat(l.gpuPeakC()).isLessThanOrEqualTo(46.0).isLessThan(a.gpuPeakC());
    for (double c : l.gpuBooks().peakC()) {
      assertThat(c).isGreaterThanOrEqualTo(27.25 - 1e-9);
    }
    assertThat(l.gpuBooks().cooling().kind()).isEqualTo("liquid");
    assertThat(n.gpuPeakC()).isNaN();
    assertThat(n.gpuBooks().cooling()).isNull();
    // nothing throttles at a 24 °C inlet, so the cooling changes no latency, token or GPU joule
    assertThat(n.metrics().ttft().count()).isEqualTo(a.metrics().ttft().count()).isPositive();
    assertThat(n.metrics().ttft().percentileMs(99)).isEqualTo(a.metrics().ttft().percentileMs(99));
    assertThat(n.windowEnergyJ()).isEqualTo(a.windowEnergyJ()).isEqualTo(l.windowEnergyJ());
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
