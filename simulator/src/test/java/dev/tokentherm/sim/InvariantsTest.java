package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.metrics.RunCounters;
import dev.tokentherm.serving.Request;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Conservation in whole runs: energy (independent per-GPU integrator = Σ active + Σ idle shares +
 * unattributed), tokens, KV blocks and requests; on the shipped scenarios, under KV pressure
 * (evictions, rejections) and when the drain limit cuts work short.
 */
class InvariantsTest {
  static final String SMALL = """
      name: small
      horizon_s: 60
      max_drain_s: 600
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 2, scheduler: {max_num_batched_tokens: 2048, max_num_seqs: 32}}
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 3}
            turns: {distribution: geometric, mean: 3}
            user_tokens: {distribution: lognormal, median: 400, sigma: 1.0, max: 6000}
            model_tokens: {distribution: lognormal, median: 120, sigma: 0.8, max: 1500}
            think_time_s: {distribution: exponential, mean: 5}
      """;

  static void assertConserved(SimTestSupport.Run run) {
    RunResult r = run.result();
    assertThat(Conservation.violations(r)).isEmpty();
    RunCounters m = r.metrics().counters();
    double total = r.totalGpuEnergyJ();
    double attributed = m.activeJ() + m.idleSharesJ() + r.idleUnattributedJ();
    assertThat(attributed / total).as("energy attributed / integrated").isCloseTo(1.0, within(1e-9));
    assertThat(m.idleSharesJ() + r.idleUnattributedJ()).isLessThanOrEqualTo(total);
    assertThat(r.kvBlocksAllocated()).isEqualTo(r.kvBlocksFreed() + r.kvBlocksLive());
    assertThat(Conservation.violations(r)).as("the run-time laws").isEmpty();
    assertThat(m.runRequestsArrived())
        .isGreaterThanOrEqualTo(m.runRequestsCompleted() + m.runRequestsRejected() + m.runRequestsTimedOut());
    long turnTokens = 0;
    for (Request t : run.turns()) {
      turnTokens += t.outputTokens();
      assertThat(t.ttftNs()).isPositive();
      assertThat(t.e2eNs()).isGreaterThanOrEqualTo(t.ttftNs());
      assertThat(t.activeJ()).isPositive();
      assertThat(t.withIdleJ()).isGreaterThanOrEqualTo(t.activeJ() - 1e-9);
      // a preempted request recomputes its generated tokens too, or restores its KV from host (0)
      assertThat(t.prefillTokens()).isBetween(t.preemptions() > 0 ? 0L : 1L,
          t.preemptions() > 0 ? t.contextTokens() + t.outputTokens() : t.contextTokens());
    }
    if (!r.cutShort()) {
      // every conversation ended: every token was emitted by a closed turn, no KV is left
      assertThat(m.runRequestsArrived()).isEqualTo(m.runRequestsCompleted() + m.runRequestsRejected() + m.runRequestsTimedOut());
      assertThat(turnTokens).isEqualTo(m.runOutputTokens());
      // no KV is left but the prefix caches' blocks, cached for later prompts and pinned by none
      assertThat(r.kvBlocksLive()).isEqualTo(r.prefixLiveBlocks());
      assertThat(r.prefixPinnedBlocks()).isZero();
      assertThat(run.turns()).hasSize((int) m.runRequestsCompleted());
    } else {
      assertThat(turnTokens).isLessThanOrEqualTo(m.runOutputTokens());
    }
  }

  @Test
  void theRunTimeCheckCatchesABrokenLaw() {
    RunResult r = SimTestSupport.text(SMALL).run().result();
    assertThat(Conservation.violations(r)).isEmpty();
    RunResult leaky = new RunResult(r.name(), r.seed(), r.endNs(), r.cutShort(), r.unstable(), r.events(),
        r.windowStartNs(), r.windowEndNs(), r.windowEnergyJ(), r.gpuEnergyJ(), r.gpuPeakW(),
        r.idleUnattributedJ() + 1.0, r.idleTotalJ(), r.metrics(), r.plans(), r.kvBlocksAllocated(),
        r.kvBlocksFreed() - 1, r.kvBlocksLive(), r.kvBlocksPeak(), r.evictions(), r.prefixHitTokens(),
        r.prefixLookupTokens(), r.prefixLiveBlocks(), r.prefixPinnedBlocks(), r.stalled(), r.books(), r.steadyState(), r.unstableReason(), r.split(),
        r.gpuBooks());
    assertThat(Conservation.violations(leaky)).hasSize(2)
        .anyMatch(v -> v.startsWith("energy: attributed"))
        .anyMatch(v -> v.startsWith("kv: blocks allocated"));
  }

  @Test
  void quickstartConserves() {
    SimTestSupport.Run run = SimTestSupport.file("scenarios/quickstart.yaml").run();
    assertThat(run.result().metrics().counters().runRequestsCompleted()).isGreaterThan(500);
    assertConserved(run);
  }

  @Test
  void podcastConservesAndGrowsItsContextByTwoPhrasesPerTurn() {
    SimTestSupport.Run run = SimTestSupport.file("scenarios/podcast-1t.yaml").run();
    assertConserved(run);
    // 510 min · 60 / 16 s = 1,912.5 → 1,913 turns of 26 + 26 tokens; turn j's context = 52 j + 26
    assertThat(run.turns()).hasSize(1913);
    for (int j = 0; j < run.turns().size(); j++) {
      Request t = run.turns().get(j);
      assertThat(t.turn()).isEqualTo(j);
      assertThat(t.contextTokens()).isEqualTo(52L * j + 26);
      assertThat(t.arrivalNs()).isEqualTo(16_000_000_000L * j);
      // after the first turn only the new phrase, the reply's last token and the tokens of the
      // history's partly filled last 16-token block (its KV: 52 j − 1 tokens) are prefilled
      assertThat(t.prefillTokens()).isEqualTo(j == 0 ? 26 : 27 + (52L * j - 1) % 16);
    }
    assertThat(run.result().metrics().counters().peakContextTokens()).isEqualTo(52L * 1912 + 26);
  }

  @Test
  void kvPressureEvictsAndRejectsButConserves() {
    // 600 blocks · 16 = 9,600 tokens per replica: long conversations are rejected, idle ones evicted
    SimTestSupport.Run run = SimTestSupport.text(SMALL, "deployments[0].kv.num_gpu_blocks=600").run();
    assertThat(run.result().evictions()).isPositive();
    assertThat(run.result().metrics().counters().runRequestsRejected()).isPositive();
    assertConserved(run);
    // an evicted conversation recomputes its whole history: some turns prefill more than they add
    assertThat(run.turns()).anyMatch(t -> t.turn() > 0 && t.prefillTokens() == t.contextTokens());
  }

  @Test
  void drainLimitCutsWorkShortAndCountsIt() {
    SimTestSupport.Run run = SimTestSupport.text(SMALL, "max_drain_s=0", "horizon_s=20").run();
    assertThat(run.result().cutShort()).isTrue();
    assertThat(run.result().endNs()).isEqualTo(20_000_000_000L);
    assertThat(run.result().metrics().unfinished()).isPositive();
    assertConserved(run);
  }

  @Test
  void aPodcastWhoseContextOutgrowsTheKvEndsWithARejection() {
    // 100 blocks · 16 = 1,600 tokens, so max_model_len defaults to 1,600 (vLLM's rule): turn j
    // needs 52 j + 26 + 26 tokens, so turn 30 (1,612) is rejected, the conversation ends and
    // later phrases are ignored
    SimTestSupport.Run run = SimTestSupport.file("scenarios/podcast-1t.yaml",
        "deployments[0].kv.num_gpu_blocks=100", "workload[0].podcast.duration_min=30").run();
    assertThat(run.result().metrics().counters().runRequestsRejected()).isEqualTo(1);
    assertThat(run.turns()).hasSize(30);
    assertThat(run.result().metrics().rejectionSamples().get(0))
        .isEqualTo("conversation 0 turn 30: context 1586 + output 26 = 1612 tokens exceeds max_model_len 1600"
            + " (what the KV cache of a replica holds: 100 blocks of 16 tokens)");
    assertConserved(run);
  }

  @Test
  void zeroThinkTimeSendsTheNextPromptAtTheReplysLastToken() {
    SimTestSupport.Run run = SimTestSupport.text(SMALL,
        "workload[0].conversations.think_time_s={distribution: constant, value: 0}").run();
    assertConserved(run);
    // every later turn arrives at the instant its conversation's previous reply ended
    java.util.Map<Long, Request> previous = new java.util.HashMap<>();
    int followers = 0;
    for (Request t : run.turns()) {
      Request p = previous.put(t.conversation().id(), t);
      if (p != null) {
        assertThat(t.arrivalNs()).isEqualTo(p.doneNs());
        followers++;
      }
    }
    assertThat(followers).isPositive();
  }

  @Property(tries = 8)
  void preemptionUnderPressureConserves(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @LongRange(min = 500, max = 3000) long blocks, @ForAll boolean swap) {
    SimTestSupport.Run run = SimTestSupport.text(SMALL, "seed=" + seed, "deployments[0].kv.num_gpu_blocks=" + blocks,
        "deployments[0].kv.preemption=" + (swap ? "swap" : "recompute")).run();
    assertConserved(run);
  }

  @Test
  void preemptionHappensUnderPressureAndEveryTokenIsStillEmitted() {
    SimTestSupport.Run run = SimTestSupport.text(SMALL, "deployments[0].kv.num_gpu_blocks=700",
        "deployments[0].kv.preemption=recompute").run();
    assertThat(run.result().metrics().counters().runPreemptions()).isPositive();
    assertConserved(run);
  }

  @Property(tries = 6)
  void anySeedConserves(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @LongRange(min = 400, max = 5000) long blocks) {
    assertConserved(SimTestSupport.text(SMALL, "seed=" + seed,
        "deployments[0].kv.num_gpu_blocks=" + blocks).run());
  }
}
