package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KV connector profiles ({@code kv.connector}), by hand: the conversation of {@link KvTiersScenarioTest}
 * (llama-3.1-8b on one H100 of a dgx-h100, 131,072 B of KV a token, 2,097,152 B a 16-token block;
 * turn 1: 1,000 prompt tokens, 24 reply tokens; turn 2 ten seconds later, its KV demoted to host DRAM
 * after 1 s idle). A load from DRAM takes its 10 µs latency + bytes / 50 GB/s (the host link, the
 * route's slower link).
 */
class ConnectorTest {
  static final String SCENARIO = """
      name: connector
      horizon_s: %s
      cluster:
        nodes: [{profile: dgx-h100, count: 1}]
        kv_tiers: {dram_gib: 64}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 1, kv: {placement: demote-on-idle, idle_ttl_s: 1, connector: %s}}
      workload:
        - target: chat
          conversations:
            arrival: {process: uniform, rate_per_s: %s, max_conversations: %d}
            turns: {distribution: constant, value: 2}
            user_tokens: {distribution: constant, value: 1000}
            model_tokens: {distribution: constant, value: %d}
            think_time_s: {distribution: constant, value: %s}
      """;
  static final double GIB = 1024.0 * 1024 * 1024;
  static final long BLOCK_BYTES = 2_097_152;

  @TempDir
  static Path library;

  private static SimTestSupport.Run one(String connector) {
    return SimTestSupport.text(SCENARIO.formatted("1", connector, "1", 1, 24, "10")).run();
  }

  private static Request turn(SimTestSupport.Run run, long conversation, int turn) {
    return run.turns().stream().filter(t -> t.turn() == turn && t.conversation().id() == conversation)
        .findFirst().orElseThrow();
  }

  /** Conversation 0's second turn found its KV in DRAM, loaded {@code cached} tokens of it and recomputed the rest. */
  private static void secondTurnLoadsFromDram(SimTestSupport.Run run, long cached, long recomputed, long loadNs) {
    Request second = turn(run, 0, 1);
    assertThat(second.kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(second.cachedTokens()).isEqualTo(cached);
    assertThat(second.recomputedTokens()).isEqualTo(recomputed);
    assertThat(second.prefillTokens()).isEqualTo(2024 - cached);
    assertThat(second.loadNs()).isEqualTo(loadNs);
  }

  @Test
  void lmcacheStoresThePromptsFullChunksOnlyAndTheNextTurnRecomputesTheRest() {
    // 1,000 prompt tokens in 256-token chunks: 3 whole chunks, 768 tokens (48 blocks, 100,663,296 B), written
    // at the prefill's end; the 232 past them and the 24 reply tokens (decode KV) are not stored
    SimTestSupport.Run run = one("lmcache-default");
    // history 1,000 + 24 = 1,024 tokens: 1,024 − 768 = 256 = 232 + 24 recomputed, in the prefill's work;
    // loaded in 10,000 ns + 100,663,296 B / 50 GB/s = 2,023,265.92 ns
    secondTurnLoadsFromDram(run, 768, 232 + 24, 2_023_266);
    var dram = run.result().tiers().totals(Tiers.DRAM);
    // written at each prefill's end, the demotion copying nothing: turn 1's 48 blocks, then turn 2's prompt of
    // 2,024 tokens, 7 chunks (1,792 tokens, 112 blocks), freed when the conversation ends
    assertThat(dram.bytesIn()).isEqualTo((48 + 112) * BLOCK_BYTES);
    assertThat(dram.bytesOut()).isEqualTo((48 + 112) * BLOCK_BYTES);
    assertThat(dram.hits()).isEqualTo(1);
    // its local CPU cache (4.66 GiB on the replica's one GPU) caps the node's 64 GiB DRAM tier
    assertThat(dram.capacityBytes()).isEqualTo((long) (4.66 * GIB));
    InvariantsTest.assertConserved(run);
  }

  @Test
  void vllmOffloadingStoresWholeBlocksWithTheDecodeKvAtTheReplysEnd() {
    // KV at turn 1's end: 1,000 + 24 − 1 = 1,023 tokens; whole 16-token blocks: 63 (1,008 tokens, 132,120,576 B)
    SimTestSupport.Run run = one("vllm-offloading");
    // loaded in 10,000 ns + 132,120,576 B / 50 GB/s = 2,652,411.52 ns
    secondTurnLoadsFromDram(run, 1008, 1024 - 1008, 2_652_412);
    var dram = run.result().tiers().totals(Tiers.DRAM);
    // turn 1's 63 blocks, and turn 2's at its end: 2,024 + 24 − 1 = 2,047 tokens, 127 whole blocks
    assertThat(dram.bytesIn()).isEqualTo((63 + 127) * BLOCK_BYTES);
    assertThat(dram.capacityBytes()).isEqualTo((long) (64 * GIB)); // no cpu_cache_gib: the tier's own
    InvariantsTest.assertConserved(run);
  }

  @Test
  void withoutAConnectorNothingChanges() {
    // today's demotion: the 64 blocks the evicted segment held (the partial block too), written at the demotion
    SimTestSupport.Run run = one("none");
    Request second = turn(run, 0, 1);
    assertThat(second.loadNs()).isEqualTo(KvTiersScenarioTest.LOAD_NS);
    assertThat(run.result().tiers().totals(Tiers.DRAM).bytesIn()).isEqualTo(64 * BLOCK_BYTES);
  }

  /**
   * Sync against async, with everything else equal: a copy of lmcache-default whose loads are
   * asynchronous. Conversation 0's second turn (a load of 100,663,296 B: 2,023,266 ns) arrives
   * 9.5 s after its first turn ends, 10 s after conversation 0 began, so while conversation 1 (begun 10 s after
   * it) decodes its 200-token reply. Synchronous, the load holds conversation 1's batch: one of its
   * token gaps grows by the load's time; asynchronous, its gaps do not see it. The loading turn
   * itself loads for as long in both.
   */
  @Test
  void aSyncLoadDelaysEveryRequestInItsIterationAnAsyncOneOnlyItsOwn() {
    String twoChats = SCENARIO.formatted("25", "%s", "0.1", 2, 200, "9.5");
    SimTestSupport.Run sync = withTestConnectors(twoChats.formatted("lmcache-default"));
    SimTestSupport.Run async = withTestConnectors(twoChats.formatted("lmcache-async"));
    Request syncLoad = turn(sync, 0, 1);
    Request asyncLoad = turn(async, 0, 1);
    assertThat(syncLoad.loadNs()).isEqualTo(asyncLoad.loadNs()).isEqualTo(2_023_266);
    Request syncNeighbour = turn(sync, 1, 0);
    Request asyncNeighbour = turn(async, 1, 0);
    // the neighbour was decoding across the load (it began before and ended after it)
    assertThat(syncNeighbour.firstTokenNs()).isLessThan(syncLoad.arrivalNs());
    assertThat(syncNeighbour.doneNs()).isGreaterThan(syncLoad.arrivalNs() + syncLoad.loadNs());
    // its longest gap: the iteration that prefills the loaded turn (+ the load, when it is synchronous); the
    // neighbour's context differs by a token or so between the runs (a few ns of attention)
    assertThat((double) (syncNeighbour.maxTbtNs() - asyncNeighbour.maxTbtNs())).isCloseTo(2_023_266, within(1_000.0));
    // the loading turn waits for its load in both (asynchronous: then for the iteration in flight to end too)
    assertThat(asyncLoad.ttftNs()).isGreaterThanOrEqualTo(syncLoad.ttftNs());
    assertThat(syncLoad.recomputedTokens()).isEqualTo(asyncLoad.recomputedTokens()).isEqualTo(1200 - 768);
    InvariantsTest.assertConserved(sync);
    InvariantsTest.assertConserved(async);
  }

  /**
   * cpu_cache_gib caps the DRAM tier: a connector like lmcache-default with a 0.2 GiB cache
   * (214,748,364 B) holds two of the 100,663,296 B copies, not three. Three conversations 1 s apart
   * write their prompts' chunks in turn; the third's write pushes out the first's (LRU), whose
   * second turn then finds nothing and recomputes its whole 1,024-token history; the others load.
   * The second turns' copies (112 blocks, 234,881,024 B) could never fit: they are not written.
   */
  @Test
  void theCpuCacheCapsTheDramTierAndItsLawHolds() {
    String three = SCENARIO.formatted("5", "lmcache-small", "1", 3, 24, "10");
    SimTestSupport.Run run = withTestConnectors(three);
    var dram = run.result().tiers().totals(Tiers.DRAM);
    assertThat(dram.capacityBytes()).isEqualTo(214_748_364L);
    assertThat(dram.peakBytes()).isEqualTo(2 * 48 * BLOCK_BYTES);
    assertThat(turn(run, 0, 1).kvTier()).isEqualTo(Tiers.NONE);
    assertThat(turn(run, 0, 1).recomputedTokens()).isEqualTo(1024);
    assertThat(turn(run, 1, 1).kvTier()).isEqualTo(Tiers.DRAM);
    assertThat(turn(run, 2, 1).kvTier()).isEqualTo(Tiers.DRAM);
    InvariantsTest.assertConserved(run); // the tier law (bytes in = out + resident, never over capacity)
    // and the law catches a leak of the connector's copies
    SimTestSupport.Run leaky = withTestConnectors(three, new Faults(false, false, false, false, false, false, false,
        false, false, -1, true));
    assertThat(Conservation.violations(leaky.result())).anyMatch(v -> v.startsWith("kv tiers: KV tier dram:"));
  }

  @Test
  void anUnknownConnectorIsNamedWithTheClosestOne() {
    var e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> dev.tokentherm.TestProfiles.LIBRARY.resolve(ScenarioLoader.parse(SCENARIO.formatted("1", "lmcache-defualt",
            "1", 1, 24, "10"), "test.yaml", List.of())), ConfigException.class);
    assertThat(e.getMessage()).contains("deployments[0].kv.connector").contains("unknown connector profile 'lmcache-defualt'")
        .contains("lmcache-default");
  }

  @Test
  void aConnectorWithoutATierBelowHbmIsAnError() {
    var e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> dev.tokentherm.TestProfiles.LIBRARY.resolve(ScenarioLoader.parse(SCENARIO.formatted("1", "vllm-offloading",
            "1", 1, 24, "10").replace("kv_tiers: {dram_gib: 64}", "kv_tiers: {}"), "test.yaml", List.of())),
        ConfigException.class);
    assertThat(e.getMessage()).contains("deployments[0].kv.connector").contains("no tier below HBM");
  }

  private static SimTestSupport.Run withTestConnectors(String yaml) {
    return withTestConnectors(yaml, Faults.NONE);
  }

  /** Runs against the shipped profiles plus two test connectors: lmcache-default loading asynchronously, and with a 0.2 GiB cache. */
  private static SimTestSupport.Run withTestConnectors(String yaml, Faults faults) {
    try {
      Path root = library.resolve("profiles");
      if (!Files.exists(root)) {
        copy(Path.of("hardware-profiles"), root);
        String lmcache = Files.readString(root.resolve("connectors/lmcache-default.yaml"));
        Files.writeString(root.resolve("connectors/lmcache-async.yaml"), lmcache.replace("id: lmcache-default",
            "id: lmcache-async").replace("{mode: sync", "{mode: async"));
        Files.writeString(root.resolve("connectors/lmcache-small.yaml"), lmcache.replace("id: lmcache-default",
            "id: lmcache-small").replace("{value: 4.66", "{value: 0.2"));
      }
      var bound = ScenarioLoader.parse(yaml, "test.yaml", List.of());
      var loaded = new SimTestSupport.Loaded(bound.value(), new ProfileLibrary(root).resolve(bound), Path.of(""));
      return faults == Faults.NONE ? loaded.run() : loaded.runWithFaults(faults);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
