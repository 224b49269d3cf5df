package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.kv.tier.Tiers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's sweep: a trace's hashed prefix blocks that a small HBM evicts go down to a DRAM tier
 * and come back as hits, so the prefix hit ratio (kv.prefix_hit_ratio: prompt tokens found cached,
 * in HBM or loaded from a lower tier, over prompt tokens looked up) climbs with the tier's capacity
 * to the figure of a replica whose HBM holds everything, timed on the same trace.
 */
class TierSweepTest {
  /**
   * The first 500 records (165 s) of the Mooncake conversation trace on one Llama-3.1-8B replica,
   * TP8 on a DGX H200, fp8 KV: 32 layers × 8 KV heads × 128 × 2 (K, V) × 1 B = 65,536 B a token,
   * a 16-token block 1 MiB over the replica's 8 GPUs (131,072 B on each).
   */
  private static final String SCENARIO = """
      name: tier-sweep
      seed: 7
      horizon_s: 170
      max_drain_s: 600
      cluster:
        nodes: [{profile: dgx-h200, count: 1}]
        kv_tiers: {dram_gib: %s}
      deployments:
        - name: chat
          model: llama-3.1-8b
          stack: vllm-v1
          kv_dtype: fp8
          parallelism: {tp: 8}
          kv: {block_tokens: 16, reuse: %s%s}
      workload:
        - target: chat
          trace: {format: mooncake, path: data/traces/mooncake_conversation_trace.jsonl, max_requests: 500}
      """;
  /**
   * The slice's KV footprint: its prompts' distinct 16-token blocks, counted from the trace file by
   * a script (each record's hash ids name 512-token blocks, 32 of ours; a prompt of L tokens fills
   * ceil(L / 16) of them, so a record's last hash id covers only its partial block's sub-blocks;
   * distinct (hash id, sub-block) pairs over the 500 records): 372,563 blocks × 1 MiB = 363.8 GiB.
   * Replies' blocks are never cached (unique keys, freed at the end), so they add nothing.
   */
  private static final long FOOTPRINT_BLOCKS = 372_563;
  /** Small HBM: 20,000 blocks = 19.5 GiB, 5.4 % of the footprint, yet over the longest prompt (121,298 tokens = 7,582 blocks). */
  private static final String SMALL_HBM = ", num_gpu_blocks: 20000";
  /** 0, about a quarter, a half, three quarters of the footprint, and above it (400 > 363.8 GiB). */
  private static final int[] DRAM_GIB = {0, 96, 192, 288, 400};

  private static double hitRatio(RunResult r) {
    return (double) r.prefixHitTokens() / r.prefixLookupTokens();
  }

  private static RunResult run(int dramGib, String reuse, String kv) {
    RunResult r = SimTestSupport.text(SCENARIO.formatted(dramGib, reuse, kv)).run().result();
    assertThat(RunSummary.status(r)).isEqualTo("ok");
    return r;
  }

  @Test
  void theHitRatioClimbsWithTheDramTierToTheUnboundedHbmFigure() {
    // unbounded HBM: the H200s' KV budget (over 1,000,000 blocks) holds the whole footprint, so no
    // block is ever evicted: every prompt block is still cached at the end
    RunResult unbounded = run(0, "load", "");
    assertThat(unbounded.prefixLiveBlocks()).isEqualTo(FOOTPRINT_BLOCKS);
    double reference = hitRatio(unbounded);

    double[] ratios = new double[DRAM_GIB.length];
    for (int i = 0; i < DRAM_GIB.length; i++) {
      RunResult r = run(DRAM_GIB[i], "load", SMALL_HBM);
      ratios[i] = hitRatio(r);
      // the slice's looked-up tokens are the same in every run: 500 prompts, none rejected, none preempted
      assertThat(r.prefixLookupTokens()).isEqualTo(unbounded.prefixLookupTokens());
      if (DRAM_GIB[i] > 0) { // kv.tiers: each of the 500 keyed prompts looked in HBM once, a hit or a miss
        var hbm = r.tiers().totals(Tiers.HBM);
        assertThat(hbm.hits() + hbm.misses()).isEqualTo(500);
      }
    }
    for (int i = 1; i < ratios.length; i++) {
      assertThat(ratios[i]).as("non-decreasing within 0.5 points, %s", java.util.Arrays.toString(ratios))
          .isGreaterThanOrEqualTo(ratios[i - 1] - 0.005);
    }
    assertThat(ratios[ratios.length - 1]).as("above the footprint, within 2 points of unbounded HBM")
        .isCloseTo(reference, org.assertj.core.data.Offset.offset(0.02));
    // and the tier is what closes the gap: without it the small HBM is far below
    assertThat(ratios[0]).isLessThan(reference - 0.05);
  }

  @Test
  void blocksBelowHbmThatAreRecomputedAreNoHits() {
    // the check above can fail: with kv.reuse recompute the DRAM tier holds the same blocks but
    // none is loaded, and the ratio stays with the small HBM's, far below unbounded HBM's
    RunResult loaded = run(400, "load", SMALL_HBM);
    RunResult recomputed = run(400, "recompute", SMALL_HBM);
    assertThat(recomputed.tiers().totals(Tiers.DRAM).bytesIn()).isPositive();
    assertThat(hitRatio(recomputed)).isLessThan(hitRatio(loaded) - 0.02);
  }

  @Test
  void aPromptLoadedFromDramCountsItsBlocksAsHits(@TempDir Path dir) throws Exception {
    // A (hash ids 0, 1), then B (2, 3), then A again, 1,024 tokens each: 64 blocks of 16. HBM holds
    // 70 blocks: B's evict A's cached blocks, leaf (tail) first, down to DRAM; A again finds the
    // head of its chain in HBM and the rest in DRAM, consecutive, and loads it. The prefix hit
    // tokens are then all 1,024 of A's second prompt, as if HBM had held it (B's and A's first
    // prompts hit nothing); looked up: 3 × 1,024 = 3,072 tokens.
    Path trace = dir.resolve("t.jsonl");
    Files.writeString(trace, """
        {"timestamp": 0, "input_length": 1024, "output_length": 1, "hash_ids": [0, 1]}
        {"timestamp": 5000, "input_length": 1024, "output_length": 1, "hash_ids": [2, 3]}
        {"timestamp": 10000, "input_length": 1024, "output_length": 1, "hash_ids": [0, 1]}
        """);
    String yaml = SCENARIO.formatted(1, "load", ", num_gpu_blocks: 70")
        .replace("data/traces/mooncake_conversation_trace.jsonl", trace.toString())
        .replace("dgx-h200", "dgx-h100").replace("tp: 8", "tp: 1").replace("horizon_s: 170", "horizon_s: 11");
    SimTestSupport.Run run = SimTestSupport.text(yaml).run();
    assertThat(run.result().prefixLookupTokens()).isEqualTo(3072);
    assertThat(run.result().prefixHitTokens()).isEqualTo(1024);
    assertThat(run.turns().get(2).kvTier()).isEqualTo(Tiers.DRAM);
    // kv.tiers counts each prompt's one lookup in the tiers it looked in: A finds nothing in HBM, then
    // nothing in DRAM (a miss in each); B the same (A's blocks go down to DRAM, but B's keys are not
    // among them); A again finds its head in HBM (a hit) and the rest of its chain in DRAM (a hit)
    var hbm = run.result().tiers().totals(Tiers.HBM);
    var dram = run.result().tiers().totals(Tiers.DRAM);
    assertThat(new long[] {hbm.hits(), hbm.misses(), dram.hits(), dram.misses()}).containsExactly(1, 2, 1, 2);
    InvariantsTest.assertConserved(run);
  }
}
