package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs say how good their answer is: whether the window reached steady state, whether a starved
 * queue made the run unstable, whether the SLO was met.
 */
class HonestAnswersTest {
  @Test
  void fiveMinutesAtFortyFiveConversationsPerSecondAreNotASteadyState() {
    // the population of cached conversations still grows at minute 5: the KV fills and evictions
    // speed up, so capacity read off this window would be overstated
    RunResult r = SimTestSupport.file("scenarios/quickstart.yaml",
        "workload[0].conversations.arrival.rate_per_s=45").run().result();
    SteadyStateCheck.Verdict v = r.steadyState();
    assertThat(v.steady()).isFalse();
    assertThat(v.kvOccupancyLast()).isGreaterThan(v.kvOccupancyFirst() + 0.05);
    assertThat(v.reasons()).anyMatch(s -> s.startsWith("KV occupancy rose from"))
        .anyMatch(s -> s.startsWith("evictions sped up from"));
  }

  @Test
  void halfAnHourAtTwentyConversationsPerSecondIsASteadyState() {
    RunResult r = SimTestSupport.file("scenarios/quickstart.yaml",
        "workload[0].conversations.arrival.rate_per_s=20", "horizon_s=1800", "measure.warmup_s=600",
        "measure.end_s=1800").run().result();
    SteadyStateCheck.Verdict v = r.steadyState();
    assertThat(v.reasons()).isEmpty();
    assertThat(v.steady()).isTrue();
    // completions keep up with arrivals (each conversation's turns arrive and complete in the window)
    assertThat(v.completionRatePerS() / v.arrivalRatePerS()).isBetween(0.95, 1.05);
  }

  @Test
  void aStarvedDecodePriorityQueueEndsTheRunAsUnstable() {
    // decode-priority runs decodes alone while any run: at 2.5 conversations/s on two replicas the
    // prompts it admits wait longer every minute (TTFT p50 above 30 s) while the queue stays short
    RunResult r = SimTestSupport.file("scenarios/quickstart.yaml", "deployments[0].replicas=2",
        "deployments[0].scheduler.policy=decode-priority", "workload[0].conversations.arrival.rate_per_s=2.5",
        "horizon_s=900", "measure.end_s=900").run().result();
    assertThat(r.unstable()).isTrue();
    assertThat(RunSummary.status(r)).isEqualTo("unstable");
    assertThat(r.unstableReason()).startsWith("starved: the longest wait for a first token grew minute over minute");
    assertThat(r.metrics().counters().runRequestsRejected()).isZero(); // nothing was refused: it was just never served
  }

  @Test
  void theSteadyStateCheckReadsTrendsFromHandBuiltSamples() {
    // 60 samples a second apart: arrivals and completions 10/s, 2 waiting, KV half full, no evictions
    SteadyStateCheck flat = new SteadyStateCheck();
    SteadyStateCheck growing = new SteadyStateCheck();
    for (int i = 0; i < 60; i++) {
      long t = i * 1_000_000_000L;
      flat.sample(t, 2, 500, 1000, 0, 10L * i, 10L * i);
      // the queue grows by one a second, the KV by 1 % a second, evictions by i blocks in second i
      growing.sample(t, i, 300 + 10L * i, 1000, (long) i * (i + 1) / 2, 10L * i, 5L * i);
    }
    SteadyStateCheck.Verdict ok = flat.verdict(0, 60_000_000_000L);
    assertThat(ok.steady()).isTrue();
    assertThat(ok.arrivalRatePerS()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-12));
    SteadyStateCheck.Verdict bad = growing.verdict(0, 60_000_000_000L);
    assertThat(bad.steady()).isFalse();
    // first third: samples 0-19 (mean waiting 9.5, KV 0.395); last third: 40-59 (49.5, 0.795)
    assertThat(bad.waitingFirst()).isEqualTo(9.5);
    assertThat(bad.waitingLast()).isEqualTo(49.5);
    assertThat(bad.kvOccupancyFirst()).isCloseTo(0.395, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(bad.kvOccupancyLast()).isCloseTo(0.795, org.assertj.core.data.Offset.offset(1e-12));
    // evictions between samples 0 and 19: 19·20/2 = 190 blocks in 19 s; between 40 and 59:
    // (59·60 − 40·41) / 2 = 950 blocks in 19 s
    assertThat(bad.evictedBlocksPerSFirst()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(bad.evictedBlocksPerSLast()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(bad.reasons()).hasSize(4);
  }

  @Test
  void theCheckKeepsBoundedMemoryOverLongRuns() {
    SteadyStateCheck c = new SteadyStateCheck();
    for (long i = 0; i < 1_000_000; i++) {
      c.sample(i * 1_000_000_000L, 1, 1, 2, 0, i, i);
    }
    assertThat(c.verdict(0, 1_000_000L * 1_000_000_000L).steady()).isTrue();
  }
}
