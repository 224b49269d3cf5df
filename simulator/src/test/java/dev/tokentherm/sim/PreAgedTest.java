package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.serving.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A workload that starts from a pre-aged population: conversations already in progress at time 0. */
class PreAgedTest {
  static final String SCENARIO = """
      name: pre-aged
      horizon_s: 0.5
      max_drain_s: 600
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 2}
      workload:
        - target: chat
          conversations:
            arrival: {process: uniform, rate_per_s: 1}
            pre_aged: true
            turns: {distribution: constant, value: 4}
            user_tokens: {distribution: constant, value: 100}
            model_tokens: {distribution: constant, value: 50}
            think_time_s: {distribution: constant, value: 20}
      """;

  @Test
  void theInProgressPopulationIsTheWorkloadsOwnSteadyState() {
    // one start a second before 0, 4 turns 20 s apart (replies instant): a conversation started s
    // seconds ago is in progress iff its last turn, at 60 − s, is not past: s = 1..60, so 60
    // conversations (Little: 1/s × 60 s). It has done ceil(s/20) turns of 150 tokens; no new
    // conversation starts before the 0.5 s horizon, so the run serves their 20·3 + 20·2 + 20·1 =
    // 120 remaining turns. Their history's KV (150 k − 1 tokens) was placed on their replica, so a
    // first prompt prefills its 100 new tokens and the history's partly filled last block only.
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO).run();
    assertThat(run.turns()).hasSize(120);
    Map<Long, Request> first = new LinkedHashMap<>();
    for (Request t : run.turns()) {
      first.merge(t.conversation().id(), t, (a, b) -> a.turn() <= b.turn() ? a : b);
    }
    assertThat(first).hasSize(60);
    int[] byTurn = new int[4];
    for (Request t : first.values()) {
      int k = t.turn();
      byTurn[k]++;
      assertThat(t.contextTokens()).isEqualTo(150L * k + 100);
      long kv = 150L * k - 1;
      assertThat(t.prefillTokens()).isEqualTo(t.contextTokens() - (kv - kv % 16));
    }
    assertThat(byTurn).containsExactly(0, 20, 20, 20);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void anAgedPopulationShowsTheOverloadAFreshStartHides() {
    // quickstart at 45 conversations/s: from an empty start the 5-minute window looks nearly fine
    // (its population is still small); aged, the same window shows the backlog it builds
    RunResult fresh = SimTestSupport.file("scenarios/quickstart.yaml",
        "workload[0].conversations.arrival.rate_per_s=45").run().result();
    RunResult aged = SimTestSupport.file("scenarios/quickstart.yaml",
        "workload[0].conversations.arrival.rate_per_s=45", "workload[0].conversations.pre_aged=true").run().result();
    double freshAttainment = (double) fresh.metrics().metSlo() / fresh.metrics().arrived();
    double agedAttainment = (double) aged.metrics().metSlo() / aged.metrics().arrived();
    assertThat(agedAttainment).isLessThan(freshAttainment / 2);
    assertThat(aged.metrics().ttft().percentileMs(50)).isGreaterThan(10 * fresh.metrics().ttft().percentileMs(50));
  }

  @Test
  void onlyAStationaryOpenProcessCanAgeAPopulation() {
    assertThatThrownBy(() -> SimTestSupport.text(SCENARIO.replace("{process: uniform, rate_per_s: 1}",
        "{process: closed-loop, users: 4}")))
        .hasMessageContaining("pre_aged: is true with closed-loop arrivals; allowed: poisson, uniform or gamma");
    assertThat(List.of("poisson", "gamma")).allSatisfy(p ->
        SimTestSupport.text(SCENARIO.replace("process: uniform", "process: " + p)));
  }
}
