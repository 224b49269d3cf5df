package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.metrics.RunMetrics;
import org.junit.jupiter.api.Test;

/** The shipped fleet scenario: Little's law at ~78 % load, overload detection, determinism at 16 replicas. */
class FleetScenarioTest {
  private static final String FLEET = "scenarios/fleet-chat-h100.yaml";

  @Test
  void littlesLawHoldsOnTheSteadyFleet() {
    SimTestSupport.Run run = SimTestSupport.file(FLEET).run();
    RunResult r = run.result();
    RunMetrics m = r.metrics();
    assertThat(r.unstable()).isFalse();
    assertThat(m.counters().runRequestsCompleted()).isGreaterThan(350_000);
    // L (time-averaged requests in the system over the window) = λ (completions per second in the
    // window) × W (mean E2E of those completions)
    double l = m.meanInSystem(r.endNs());
    double lambda = m.completedInWindow() / r.windowS();
    double w = m.meanE2eCompletedInWindowS();
    assertThat(l / (lambda * w)).isCloseTo(1.0, within(0.02));
    assertThat(m.rejected() + m.timedOut()).isZero();
    InvariantsTest.assertConserved(run);
  }

  @Test
  void twiceTheLoadStopsTheRunAsUnstable() {
    SimTestSupport.Run run = SimTestSupport.file(FLEET, "workload[0].conversations.arrival.rate_per_s=36").run();
    assertThat(run.result().unstable()).isTrue();
    assertThat(run.result().endNs()).isLessThan(3_600_000_000_000L);
    assertThat(run.result().metrics().unfinished()).isPositive();
    InvariantsTest.assertConserved(run);
  }

  @Test
  void sixteenReplicasAreDeterministicAndTieOrderFree() throws Exception {
    String[] shorter = {"horizon_s=900", "measure.warmup_s=300", "measure.end_s=900"};
    SimTestSupport.Loaded fleet = SimTestSupport.file(FLEET, shorter);
    ObjectMapper json = new ObjectMapper();
    String once = json.writeValueAsString(RunSummary.build(fleet.scenario(), fleet.run().result()));
    String twice = json.writeValueAsString(RunSummary.build(fleet.scenario(), fleet.run().result()));
    String shuffled = json.writeValueAsString(RunSummary.build(fleet.scenario(), fleet.runShuffled(7).result()));
    assertThat(twice).isEqualTo(once);
    assertThat(shuffled).isEqualTo(once);
  }
}
