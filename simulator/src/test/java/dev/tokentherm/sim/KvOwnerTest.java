package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One owner of a replica's KV memory: conversation segments and the prefix cache share the pool,
 * admission reclaims from either, requests that can never fit are refused up front, and a replica
 * that can admit nothing while nothing runs ends the run as stalled.
 */
class KvOwnerTest {
  @Test
  void aMixedWorkloadOfTracePrefixesAndLongPromptsDrains() {
    // the trace's prefix blocks fill the 4,000-block pool; each 20,000-token prompt (1,251 blocks
    // with its reply) must reclaim unpinned cached prefix blocks: before one owner it waited forever
    SimTestSupport.Run run = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml").run();
    RunResult r = run.result();
    assertThat(r.cutShort()).isFalse();
    assertThat(RunSummary.status(r)).isEqualTo("ok");
    assertThat(r.metrics().unfinished()).isZero();
    // 64,000 tokens of KV: the 87,169-token record can never fit, the one rejection
    assertThat(r.metrics().counters().runRequestsRejected()).isEqualTo(1);
    assertThat(r.metrics().rejectionSamples().get(0)).contains("context 87169").contains("max_model_len 64000");
    assertThat(r.metrics().counters().runRequestsCompleted()).isEqualTo(r.metrics().counters().runRequestsArrived() - 1);
    assertThat(r.kvBlocksPeak()).isEqualTo(4000);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void keyedPromptsWorkWithPreemptionOn() {
    for (String mode : List.of("recompute", "swap")) {
      SimTestSupport.Run run = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml",
          "deployments[0].kv.preemption=" + mode).run();
      assertThat(RunSummary.status(run.result())).isEqualTo("ok");
      assertThat(run.result().metrics().unfinished()).isZero();
      assertThat(run.result().prefixHitTokens()).isPositive();
      InvariantsTest.assertConserved(run);
    }
  }

  @Test
  void aPromptThatCanNeverBeAdmittedBesideTheWatermarkIsRejectedAtSubmit() {
    // 62,400 prompt tokens = 3,900 blocks of 16; + 16 output tokens: 62,415 KV tokens = 3,901 blocks
    // ≤ 4,000, so it would fit, but admission keeps ceil(0.05 · 4,000) = 200 blocks free: 4,100 > 4,000
    String yaml = """
        name: watermark
        horizon_s: 10
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 1,
             kv: {num_gpu_blocks: 4000, preemption: recompute, watermark: 0.05}}
        workload:
          - target: chat
            conversations:
              arrival: {process: uniform, rate_per_s: 1, max_conversations: 1}
              turns: {distribution: constant, value: 1}
              user_tokens: {distribution: constant, value: 62400}
              model_tokens: {distribution: constant, value: 16}
        """;
    RunResult r = SimTestSupport.text(yaml).run().result();
    assertThat(RunSummary.status(r)).isEqualTo("ok");
    assertThat(r.metrics().counters().runRequestsRejected()).isEqualTo(1);
    assertThat(r.metrics().rejectionSamples().get(0)).endsWith(
        "context 62400 tokens need 3900 KV blocks of 16 tokens + the 200-block watermark = 4100;"
            + " the replica holds 4000");
  }

  @Test
  void anExplicitMaxModelLenBeyondTheKvCacheIsAStartUpError() {
    // 4,000 blocks · 16 tokens = 64,000 tokens per replica
    String yaml = """
        name: too-long
        horizon_s: 10
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 1, kv: {num_gpu_blocks: 4000},
             admission: {max_model_len: 64001}}
        workload:
          - target: chat
            probe: {contexts: [1000]}
        """;
    SimTestSupport.Loaded loaded = SimTestSupport.text(yaml);
    assertThatThrownBy(() -> Simulation.plan(loaded.scenario(), loaded.profiles()))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("deployments[0].admission.max_model_len")
        .hasMessageContaining("is 64001 tokens but the KV cache of a replica holds 64000");
    SimTestSupport.Loaded fits = SimTestSupport.text(yaml.replace("64001", "64000"));
    assertThat(RunSummary.status(fits.run().result())).isEqualTo("ok");
  }

  @Test
  void aRecomputedVictimReHitsWhatIsLeftOfItsOwnBlocks() {
    // PreemptionTest's two requests on 40 blocks: A (200 + 400) from t = 0, B (100 + 300) joins the
    // decodes one step later. Before A's step 168 (it writes position 368, a new block) A holds
    // ceil(368/16) = 23 blocks and B, after 167 steps, ceil(267/16) = 17: none free, so B is
    // preempted with 168 tokens generated. vLLM V1 keeps B's 16 full blocks (256 tokens) cached and
    // frees the partial one, which A takes; A's remaining 14 blocks (to 38 for 599 tokens) come off
    // B's tail, one by one, so B keeps its first 2 blocks. Readmitted after A, B recomputes its
    // context and generated tokens less those 32: 100 + 168 − 32 = 236.
    SimTestSupport.Run run = SimTestSupport.text(PreemptionTest.SCENARIO.formatted("recompute")).run();
    Request b = run.turns().stream().filter(t -> t.contextTokens() == 100).findFirst().orElseThrow();
    assertThat(b.preemptions()).isEqualTo(1);
    assertThat(b.cachedTokens()).isEqualTo(32);
    assertThat(b.prefillTokens()).isEqualTo(236);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void aReplicaThatCanAdmitNothingEndsTheRunAsStalledWithinAMinute() {
    // the mixed case with an eviction policy that refuses: the first prompt that needs room waits
    // with nothing running; the run must stop as stalled, not wait to the drain limit
    SimTestSupport.Run run = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml")
        .runWithFaults(new Faults(false, false, false, false, true, false, false));
    RunResult r = run.result();
    assertThat(RunSummary.status(r)).isEqualTo("stalled");
    assertThat(r.stalled()).startsWith("deployment mixed replica 0: ")
        .contains("requests waiting and none running").contains(" KV blocks, ")
        .contains(" of 4000 are free and eviction (refuse) frees no more");
    // arrivals end at the 136 s horizon, so the stall began by then and was reported a minute later
    assertThat(r.endNs()).isLessThanOrEqualTo(136_000_000_000L + 60_000_000_000L);
    assertThat(r.metrics().unfinished()).isPositive();
    InvariantsTest.assertConserved(run); // a stalled run still balances its books
  }
}
