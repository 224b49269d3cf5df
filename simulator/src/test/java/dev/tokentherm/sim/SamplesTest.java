package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.metrics.DeviceSample;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.metrics.TurnSink;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time series: batch and queue per deployment, and per-GPU power whose integral is the GPU energy. */
class SamplesTest {
  @Test
  void devicePowerIntegratesToTheGpuEnergyAndStaysInItsRange() throws Exception {
    Map<Integer, Double> energy = new HashMap<>();
    double[] lastSample = {0};
    int[] maxRunning = {0};
    java.util.Set<Integer> unused = new java.util.TreeSet<>();
    SampleSink sink = new SampleSink() {
      @Override
      public void sample(double t, String d, int running, int waiting, long used, long blocks) {
        maxRunning[0] = Math.max(maxRunning[0], running);
        assertThat(used).isBetween(0L, blocks);
        lastSample[0] = t;
      }

      @Override
      public void device(DeviceSample sample) {
        int gpu = sample.gpu();
        String d = sample.deployment();
        double powerW = sample.powerW();
        double hbmGib = sample.hbmUsedGib();
        if (d.equals("unused")) { // a GPU no deployment uses: idle (75 W), holding nothing
          assertThat(powerW).isCloseTo(75.0, org.assertj.core.api.Assertions.within(1e-6));
          assertThat(hbmGib).isZero();
          unused.add(gpu);
          return;
        }
        // H100 of a replica: between active idle (120 W) and the 700 W limit; HBM within 80 GiB
        assertThat(powerW).isBetween(120.0 - 1e-9, 700.0 + 1e-9);
        assertThat(hbmGib).isBetween(14.0, 81559 / 1024.0);
        energy.merge(gpu, powerW * 1.0, Double::sum); // 1 s samples
      }

      @Override
      public void close() {}
    };
    SimTestSupport.Loaded small = SimTestSupport.text(InvariantsTest.SMALL);
    RunResult r = Simulation.run(small.scenario(), small.profiles(), new RunSinks(TurnSink.NONE,
        dev.tokentherm.metrics.RequestSink.NONE, sink), Progress.NONE, Path.of(""));
    assertThat(maxRunning[0]).isPositive();
    // each replica GPU's sampled energy is its energy up to the last sample: at most the run's, and
    // short of it by at most the time after the last sample at full power
    double tail = r.endNs() * 1e-9 - lastSample[0];
    for (Map.Entry<Integer, Double> e : energy.entrySet()) {
      double total = r.gpuEnergyJ()[e.getKey()];
      assertThat(e.getValue()).isLessThanOrEqualTo(total + 1e-6).isGreaterThanOrEqualTo(total - 700 * tail - 1e-6);
    }
    assertThat(energy).hasSize(2); // the two replicas' GPUs
    assertThat(unused).hasSize(r.gpuEnergyJ().length - 2).doesNotContainAnyElementsOf(energy.keySet());
  }
}
