package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.metrics.RunSinks;
import org.junit.jupiter.api.Test;

/**
 * Every fan of the quickstart node fails at 10 s under a 50 °C inlet: the heat sinks keep 1 % of
 * their airflow (CoolingLoop.MIN_AIRFLOW), R = 0.014 + 0.044 · 0.01^−0.8 = 0.014 + 0.044 · 39.81 =
 * 1.766 °C/W, so even active idle (120 W) heads for 50 + 212 = 262 °C with τ = R·C = 1,826 s: every
 * die passes the 92 °C shutdown within minutes, busy or idle, and every replica shuts down — an idle
 * one at the cooling step that finds it there, a busy one at its next iteration start.
 */
class ShutdownByHeatTest {
  @Test
  void whenEveryFanFailsEveryReplicaShutsDownAndTheLawsHold() throws Exception {
    SimTestSupport.Loaded l = SimTestSupport.file("scenarios/quickstart.yaml", "cluster.racks.inlet_c=50",
        "cluster.events=[{at_s: 10, kind: fan-failure, node: 0, fans: 12}]");
    RunResult r = Simulation.run(l.scenario(), l.profiles(), RunSinks.NONE, Progress.NONE, l.baseDir());
    assertThat(r.metrics().counters().gpusShutDown()).isEqualTo(8);
    assertThat(r.gpuBooks().cooling().fansFailed()).isEqualTo(12);
    // a die is switched off within a control step (1 s) or an iteration of passing 92 °C, while it
    // rises at most (262 + 700 · 1.766 − 92) / 1,826 s < 0.8 °C/s; once off it cools
    for (double c : r.gpuBooks().peakC()) {
      assertThat(c).isBetween(92.0, 92.8);
    }
    long failed = 0;
    for (RunResult.DeploymentBooks d : r.books()) {
      failed += d.requests().failed();
      for (RunResult.ReplicaBooks b : d.replicas()) {
        assertThat(b.books().poolLiveBlocks()).isZero();
      }
    }
    assertThat(failed).isPositive();
    assertThat(Conservation.violations(r)).isEmpty();
  }
}
