package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/tiering-compare/ (issue 13): the five settings run the same workload and seed, all end
 * {@code ok}, HBM cannot hold the live conversations (evictions), the HBM-only run recomputes
 * evicted histories while the tiered runs find them below HBM and load them, and TTFT p50 orders
 * stateless ≥ hbm ≥ dram, with nvme and remote ≤ hbm. Directions only: the figures move with the
 * copy-timing model (README, Tiering compare, gives the full runs). Shortened to a 900 s horizon
 * (the properties hold there too). Every file of the folder keeps hbm.yaml's workload, cluster and
 * seed.
 */
class TieringScenariosTest {
  private static final Path FOLDER = Path.of("scenarios", "tiering-compare");
  /** KV block of the scenarios, tokens: a cached history leaves at most its last, partial block to prefill again. */
  private static final int BLOCK_TOKENS = 16;

  @TempDir
  static Path tmp;

  /** The settings with a tier below HBM, each named after the tier its evicted histories end up in. */
  private static final List<String> TIERED = List.of("dram", "nvme", "remote");

  private static JsonNode hbm;
  private static JsonNode stateless;
  private static Map<String, String[]> hbmTurns;
  private static Map<String, String[]> statelessTurns;
  private static final Map<String, JsonNode> tiered = new HashMap<>();
  private static final Map<String, Map<String, String[]>> tieredTurns = new HashMap<>();
  private static Map<String, Integer> columns;

  @BeforeAll
  static void runAll() throws Exception {
    hbm = run("hbm");
    stateless = run("stateless");
    hbmTurns = turns("hbm");
    statelessTurns = turns("stateless");
    for (String name : TIERED) {
      tiered.put(name, run(name));
      tieredTurns.put(name, turns(name));
    }
  }

  private static JsonNode run(String name) throws Exception {
    Path out = tmp.resolve(name);
    Cli.Result r = Cli.run("run", FOLDER.resolve(name + ".yaml"), "--out", out, "--check",
        "--set", "horizon_s=900", "--set", "measure.end_s=900", "--set", "max_drain_s=60");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("check: energy, KV blocks, requests, tokens and prefill conserved");
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  /** conversations.csv rows by "conversation/turn" (no field of these runs holds a comma). */
  private static Map<String, String[]> turns(String name) throws IOException {
    List<String> lines = Files.readAllLines(tmp.resolve(name).resolve("conversations.csv"));
    String[] header = lines.get(0).split(",", -1);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      index.put(header[i], i);
    }
    columns = index;
    Map<String, String[]> rows = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      rows.put(f[index.get("conversation")] + "/" + f[index.get("turn")], f);
    }
    return rows;
  }

  private static long field(String[] row, String column) {
    return Long.parseLong(row[columns.get(column)]);
  }

  @Test
  void everySettingEndsOk() {
    assertThat(hbm.at("/run/status").asText()).isEqualTo("ok");
    assertThat(stateless.at("/run/status").asText()).isEqualTo("ok");
    for (String name : TIERED) {
      assertThat(tiered.get(name).at("/run/status").asText()).as(name).isEqualTo("ok");
    }
  }

  @Test
  void tieredSettingsLoadEvictedHistoriesInsteadOfRecomputingThem() {
    for (String name : TIERED) {
      JsonNode s = tiered.get(name);
      // HBM still cannot hold the live conversations ...
      assertThat(s.at("/kv/evictions").asLong()).as(name).isPositive();
      JsonNode tier = tierOf(s, name);
      // ... but the evicted histories are found in the setting's tier and loaded (a wait, in TTFT) ...
      assertThat(tier.get("hits").asLong()).as(name).isPositive();
      assertThat(tier.get("bytes_in").asLong()).as(name).isPositive();
      assertThat(tier.get("load_s").asDouble()).as(name).isPositive();
      long loaded = 0;
      for (String[] row : tieredTurns.get(name).values()) {
        // ... so no turn prefills more history than the last partial block (cf. the hbm run below)
        assertThat(field(row, "prefill_tokens") - field(row, "new_tokens")).as(name).isLessThanOrEqualTo(BLOCK_TOKENS);
        if (name.equals(row[columns.get("kv_tier")])) {
          loaded++;
          assertThat(Double.parseDouble(row[columns.get("load_ms")])).as(name).isPositive();
        }
      }
      assertThat(loaded).as(name).isPositive();
    }
    // nvme.yaml's DRAM tier is too small: its evicted histories are found on NVMe, not in DRAM
    assertThat(tierOf(tiered.get("nvme"), "dram").get("hits").asLong()).isLessThan(
        tierOf(tiered.get("nvme"), "nvme").get("hits").asLong());
  }

  private static JsonNode tierOf(JsonNode summary, String tier) {
    for (JsonNode t : summary.at("/kv/tiers")) {
      if (tier.equals(t.get("tier").asText())) {
        return t;
      }
    }
    throw new AssertionError("no tier " + tier + " in kv.tiers");
  }

  @Test
  void hbmCannotHoldTheLiveConversations() {
    assertThat(hbm.at("/kv/evictions").asLong()).isPositive();
    // a turn whose history stayed cached prefills its new tokens and at most the last partial block
    // (prefill − new ≤ 16); more than that is history recomputed after eviction
    long recomputed = 0;
    for (String[] row : hbmTurns.values()) {
      if (field(row, "prefill_tokens") - field(row, "new_tokens") > BLOCK_TOKENS) {
        recomputed++;
      }
    }
    assertThat(recomputed).isPositive();
  }

  @Test
  void statelessPrefillsTheWholeHistoryEveryTurn() {
    // kv.prefix_caching: false keeps nothing between turns: prefill = the whole context (history + new tokens)
    assertThat(stateless.at("/kv/evictions").asLong()).isZero();
    for (String[] row : statelessTurns.values()) {
      assertThat(field(row, "prefill_tokens")).isEqualTo(field(row, "context_tokens"));
    }
  }

  @Test
  void ttftP50OrdersStatelessAboveHbmAboveTiers() {
    double s = stateless.at("/latency/ttft_ms/p50").asDouble();
    double h = hbm.at("/latency/ttft_ms/p50").asDouble();
    double d = tiered.get("dram").at("/latency/ttft_ms/p50").asDouble();
    double n = tiered.get("nvme").at("/latency/ttft_ms/p50").asDouble();
    double r = tiered.get("remote").at("/latency/ttft_ms/p50").asDouble();
    System.out.printf("tiering-compare (900 s): TTFT p50 stateless %.0f, hbm %.0f, dram %.0f, nvme %.0f, remote %.0f ms;"
        + " hbm evictions %d%n", s, h, d, n, r, hbm.at("/kv/evictions").asLong());
    // the ordering: stateless ≥ hbm ≥ dram, nvme ≤ hbm (remote too: a load is cheaper than a recompute)
    assertThat(s).isGreaterThanOrEqualTo(h);
    assertThat(h).isGreaterThanOrEqualTo(d);
    assertThat(n).isLessThanOrEqualTo(h);
    assertThat(r).isLessThanOrEqualTo(h);
  }

  @Test
  void tiersCutTheTailAndTheGpuWorkPerTurn() {
    // a recomputed history is up to ~100k tokens of prefill (seconds on an H200), a load is bytes at tens of GB/s,
    // so the tail and the GPU energy per turn fall with every tier (the copies' energy is not on the GPU meters)
    double hbmP99 = hbm.at("/latency/ttft_ms/p99").asDouble();
    double hbmJPerToken = hbm.at("/by_deployment/chat/j_per_output_token").asDouble();
    for (String name : TIERED) {
      assertThat(tiered.get(name).at("/latency/ttft_ms/p99").asDouble()).as(name).isLessThan(hbmP99);
      assertThat(tiered.get(name).at("/by_deployment/chat/j_per_output_token").asDouble()).as(name)
          .isLessThan(hbmJPerToken);
    }
  }

  @Test
  void sameSeedSameConversations() {
    assertSameConversations(statelessTurns);
    for (String name : TIERED) {
      assertSameConversations(tieredTurns.get(name));
    }
  }

  private static void assertSameConversations(Map<String, String[]> setting) {
    // common random numbers: the same conversations start at the same times with the same scripts. Turns
    // after the first arrive a think time after the previous reply, so how many arrive by the end differs
    // with the setting; every turn both runs reached has the same new and output tokens
    assertThat(hbmTurns.size()).isPositive();
    long starts = 0;
    long common = 0;
    for (Map.Entry<String, String[]> e : hbmTurns.entrySet()) {
      String[] other = setting.get(e.getKey());
      if (other == null) {
        continue;
      }
      common++;
      assertThat(field(other, "new_tokens")).as(e.getKey()).isEqualTo(field(e.getValue(), "new_tokens"));
      assertThat(field(other, "output_tokens")).as(e.getKey()).isEqualTo(field(e.getValue(), "output_tokens"));
      if (e.getKey().endsWith("/0")) {
        starts++;
        assertThat(other[columns.get("start_min")]).as(e.getKey()).isEqualTo(e.getValue()[columns.get("start_min")]);
      }
    }
    assertThat(starts).isPositive();
    assertThat(common).isGreaterThan(hbmTurns.size() / 2);
    assertThat(conversations(setting)).isEqualTo(conversations(hbmTurns));
    assertThat(firstTurns(setting)).isEqualTo(firstTurns(hbmTurns));
  }

  private static Set<String> conversations(Map<String, String[]> rows) {
    Set<String> ids = new TreeSet<>();
    for (String key : rows.keySet()) {
      ids.add(key.substring(0, key.indexOf('/')));
    }
    return ids;
  }

  private static Set<String> firstTurns(Map<String, String[]> rows) {
    Set<String> ids = new TreeSet<>();
    for (String key : rows.keySet()) {
      if (key.endsWith("/0")) {
        ids.add(key);
      }
    }
    return ids;
  }

  @Test
  void everySettingKeepsTheWorkloadClusterAndSeed() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode reference = comparable(yaml.readTree(FOLDER.resolve("hbm.yaml").toFile()));
    List<Path> files;
    try (Stream<Path> list = Files.list(FOLDER)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files.stream().map(f -> f.getFileName().toString()))
        .contains("stateless.yaml", "hbm.yaml", "dram.yaml", "nvme.yaml", "remote.yaml");
    for (Path f : files) {
      assertThat(comparable(yaml.readTree(f.toFile()))).as("%s against hbm.yaml", f).isEqualTo(reference);
    }
  }

  /**
   * What every setting shares: seed, horizon, drain, window, cluster without its KV tiers, workload, SLO and
   * the deployments without their kv block (which the settings differ in).
   */
  private static JsonNode comparable(JsonNode scenario) {
    ObjectNode s = new ObjectMapper().createObjectNode();
    for (String key : List.of("seed", "horizon_s", "max_drain_s", "measure", "cluster", "workload", "slo", "deployments")) {
      s.set(key, scenario.get(key) == null ? null : scenario.get(key).deepCopy());
    }
    ((ObjectNode) s.get("cluster")).remove("kv_tiers");
    for (JsonNode d : s.withArray("deployments")) {
      ((ObjectNode) d).remove("kv");
    }
    return s;
  }
}
