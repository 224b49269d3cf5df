package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * Conversation KV in tiers below HBM, by hand: one two-turn conversation of llama-3.1-8b on one
 * H100 (TP1). Turn 1: 1,000 prompt tokens, 24 reply tokens; its KV ends at 1,000 + 24 − 1 = 1,023
 * tokens (the last sampled token is never written) in ceil(1,023 / 16) = 64 blocks of 16 tokens ×
 * 131,072 B/token (2 × 32 layers × 8 KV heads × 128 × 2 B) = 2,097,152 B: 134,217,728 B. Turn 2
 * comes 10 s later. With demote-on-idle at 1 s the KV is in host DRAM then; loading it back takes
 * the DRAM tier's 10 µs latency + 134,217,728 B over its route [host link 50 GB/s, DRAM 614.4
 * GB/s] (dgx-h100), one flow on idle links at the slower's rate: 10,000 ns + 2,684,354.56 ns =
 * 2,694,355 ns (the flow's end rounded up to the ns).
 */
public class KvTiersScenarioTest {
  public static final String SCENARIO = """
      name: tiers
      horizon_s: 1
      cluster:
        nodes: [{profile: dgx-h100, count: 1}]
        kv_tiers: {%s}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 1, kv: {placement: %s, idle_ttl_s: 1, reuse: %s}}
      workload:
        - target: chat
          conversations:
            arrival: {process: uniform, rate_per_s: 1, max_conversations: 1}
            turns: {distribution: constant, value: 2}
            user_tokens: {distribution: constant, value: 1000}
            model_tokens: {distribution: constant, value: 24}
            think_time_s: {distribution: constant, value: 10}
      """;
  /**
   * The second turn's load from DRAM: the conversation's whole copy, 1,024 tokens × 131,072 B
   * (Llama-3.1-8B bf16: 32 layers × 8 KV heads × 128 × K and V × 2 B) = 134,217,728 B over the H100's
   * 50 GB/s host link, plus the DRAM tier's 10 µs copy latency: 2,694,354.56 ns, to the next ns.
   */
  static final long LOAD_NS = (long) Math.ceil(10_000 + 134_217_728 / 50e9 * 1e9);

  private static SimTestSupport.Run run(String tiers, String placement, String reuse) {
    return SimTestSupport.text(SCENARIO.formatted(tiers, placement, reuse)).run();
  }

  private static Request second(SimTestSupport.Run run) {
    return run.turns().stream().filter(t -> t.turn() == 1).findFirst().orElseThrow();
  }

  @Test
  void kvDemotedToDramIsLoadedInLatencyPlusBytesOverBandwidthAndTtftGrowsByExactlyThat() {
    SimTestSupport.Run kept = run("dram_gib: 64", "keep", "load");
    SimTestSupport.Run demoted = run("dram_gib: 64", "demote-on-idle", "load");
    Request k = second(kept);
    Request d = second(demoted);
    assertThat(k.kvTier()).isEqualTo(Tiers.HBM);
    assertThat(k.loadNs()).isZero();
    assertThat(d.kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(d.loadNs()).isEqualTo(LOAD_NS);
    assertThat(d.cachedTokens()).isEqualTo(k.cachedTokens()).isEqualTo(1008); // 1,023 less its partial block
    assertThat(d.ttftNs() - k.ttftNs()).isEqualTo(LOAD_NS);
    // DRAM: 134,217,728 B in at the demotion, out at the load; one hit, HBM one miss
    var dram = demoted.result().tiers().totals(Tiers.DRAM);
    assertThat(dram.bytesIn()).isEqualTo(134_217_728L);
    assertThat(dram.bytesOut()).isEqualTo(134_217_728L);
    assertThat(dram.hits()).isEqualTo(1);
    assertThat(demoted.result().tiers().totals(Tiers.HBM).misses()).isEqualTo(1);
    assertThat(dram.loadS()).isCloseTo(LOAD_NS * 1e-9, within(1e-12));
    // energy: 2 × 134,217,728 B × 40 pJ/B
    assertThat(dram.energyJ()).isCloseTo(2 * 134_217_728 * 40e-12, within(1e-12));
    InvariantsTest.assertConserved(demoted);
  }

  @Test
  void recomputePrefillsTheWholeContextInstead() {
    Request d = second(run("dram_gib: 64", "demote-on-idle", "recompute"));
    // context = 1,024 history + 1,000 new = 2,024 tokens, none cached: all prefilled, the history recomputed
    assertThat(d.kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(d.loadNs()).isZero();
    assertThat(d.contextTokens()).isEqualTo(2024);
    assertThat(d.prefillTokens()).isEqualTo(2024);
    assertThat(d.recomputedTokens()).isEqualTo(1024);
  }

  @Test
  void autoPicksTheCheaper() {
    // DRAM: 2.7 ms to load; recomputing 1,023 tokens of an 8B model is ≥ 2 × 8e9 × 1,023 ≈ 16 TFLOP,
    // over 16 ms even at an H100's ~989 TFLOP/s dense bf16: auto loads
    Request fast = second(run("dram_gib: 64", "demote-on-idle", "auto"));
    assertThat(fast.kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(fast.loadNs()).isEqualTo(LOAD_NS);
    // a remote pool at 0.01 GB/s: 134,217,728 B take 13.4 s, far over the prefill's tens of ms: auto recomputes
    Request slow = second(run("remote_gib: 64, remote_gb_per_s: 0.01", "demote-on-idle", "auto"));
    assertThat(slow.kvTier()).isEqualTo(Tiers.REMOTE);
    assertThat(slow.loadNs()).isZero();
    assertThat(slow.prefillTokens()).isEqualTo(2024);
  }

  @Test
  void withoutTiersDemoteOnIdleDropsAndTheNextTurnRecomputes() {
    Request d = second(run("", "demote-on-idle", "load"));
    assertThat(d.kvTier()).isEqualTo(Tiers.NONE);
    assertThat(d.prefillTokens()).isEqualTo(2024);
    assertThat(d.recomputedTokens()).isEqualTo(1024);
  }

  @Test
  void writeThroughCopiesAtTurnEndAndTheNextTurnStillFindsItsKvInHbm() {
    SimTestSupport.Run run = run("dram_gib: 64", "write-through", "load");
    Request d = second(run);
    assertThat(d.kvTier()).isEqualTo(Tiers.HBM);
    assertThat(d.loadNs()).isZero();
    // turn 1's 134,217,728 B copied down at its end; freed when the conversation ends after turn 2
    var dram = run.result().tiers().totals(Tiers.DRAM);
    assertThat(dram.bytesIn()).isEqualTo(134_217_728L);
    assertThat(dram.bytesOut()).isEqualTo(134_217_728L);
    assertThat(dram.hits()).isZero();
    assertThat(run.result().tiers().totals(Tiers.HBM).hits()).isEqualTo(1);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void aShutdownWhileTheKvLoadsFailsTheRequestAndEveryLawHolds() {
    // the replica shuts down 1 ms into the 2.69 ms load of turn 2 (admitted as it arrives: nothing else runs)
    long arrival = second(run("dram_gib: 64", "demote-on-idle", "load")).arrivalNs();
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO.formatted("dram_gib: 64", "demote-on-idle", "load"))
        .runWithFaults(new Faults(false, false, false, false, false, false, false, false, arrival + 1_000_000));
    assertThat(run.result().metrics().counters().runRequestsFailed()).isEqualTo(1);
    assertThat(run.turns()).noneMatch(t -> t.turn() == 1 && t.firstTokenNs() >= 0);
    InvariantsTest.assertConserved(run);
  }

  /**
   * Eviction under pressure demotes instead of dropping: two such conversations, A then B (1 s
   * apart), on a pool of 130 blocks. After their first turns each holds 64 blocks (128). A's second turn holds
   * 2,024 + 24 − 1 = 2,047 tokens at most: 128 blocks, 64 more than it has, with 2 free: eviction
   * takes B (idle) whole and moves its 134,217,728 B to DRAM. A's conversation ends after that
   * turn (its KV freed), so B's second turn finds room, finds its KV in DRAM and loads it in the
   * same 2,694,355 ns, with the links idle (B's demotion copy was done seconds before).
   */
  @Test
  void evictionUnderPressureDemotesToDramAndTheNextTurnLoadsIt() {
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO.formatted("dram_gib: 64", "keep", "load")
        .replace("kv: {", "kv: {num_gpu_blocks: 130, ").replace("max_conversations: 1", "max_conversations: 2").replace("horizon_s: 1", "horizon_s: 2")).run();
    Request a = run.turns().stream().filter(t -> t.turn() == 1 && t.conversation().id() == 0).findFirst().orElseThrow();
    Request b = run.turns().stream().filter(t -> t.turn() == 1 && t.conversation().id() == 1).findFirst().orElseThrow();
    assertThat(a.kvTier()).isEqualTo(Tiers.HBM);
    assertThat(b.kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(b.loadNs()).isEqualTo(LOAD_NS);
    assertThat(run.result().evictions()).isEqualTo(1);
    assertThat(run.result().tiers().totals(Tiers.DRAM).bytesIn()).isEqualTo(134_217_728L);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void aTracesPrefixBlocksEvictedFromHbmGoDownToDramBlockByBlock() {
    // the mixed case (KvOwnerTest): cached prefix blocks are evicted for the long prompts; with a
    // DRAM tier each goes down whole-block (2,097,152 B for llama-3.1-8b's 16 tokens), and the laws hold
    SimTestSupport.Run run = SimTestSupport.file("scenarios/mixed-prefix-kv.yaml", "cluster.kv_tiers.dram_gib=64").run();
    var dram = run.result().tiers().totals(Tiers.DRAM);
    assertThat(dram.bytesIn()).isPositive();
    assertThat(dram.bytesIn() % 2_097_152).isZero();
    assertThat(run.result().tiers().totals(Tiers.HBM).bytesOut()).isEqualTo(dram.bytesIn());
    InvariantsTest.assertConserved(run);
  }

  @Test
  void theTierLawCatchesALeak() {
    SimTestSupport.Run leaky = SimTestSupport.text(SCENARIO.formatted("dram_gib: 64", "demote-on-idle", "load"))
        .runWithFaults(new Faults(false, false, false, false, false, false, false, false, false, -1, true));
    assertThat(Conservation.violations(leaky.result()))
        .anyMatch(v -> v.startsWith("kv tiers: KV tier dram: 134217728 B in != 0 B out + 0 B resident"));
  }
}
