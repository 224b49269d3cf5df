package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/offload-loses.yaml (issue 13): short chats whose evicted histories (1-2k tokens) sit in a slow remote
 * pool (2.5 GB/s, 2 ms). Loading them back (reuse load) loses to recomputing them; reuse auto picks recompute for
 * every one, so its run is the reuse-recompute run, byte for byte, and no slower than HBM only. Directions only:
 * the figures are in the scenario's header.
 */
class OffloadLosesScenarioTest {
  private static final Path SCENARIO = Path.of("scenarios", "offload-loses.yaml");

  @TempDir
  static Path tmp;

  private static JsonNode hbmOnly;
  private static JsonNode load;
  private static JsonNode auto;

  @BeforeAll
  static void runAll() throws Exception {
    hbmOnly = run("hbm", "cluster.kv_tiers.remote_gib=0");
    load = run("load");
    auto = run("auto", "deployments[0].kv.reuse=auto");
    run("recompute", "deployments[0].kv.reuse=recompute");
  }

  private static JsonNode run(String name, String... sets) throws Exception {
    Path out = tmp.resolve(name);
    List<Object> args = new ArrayList<>(List.of("run", SCENARIO, "--out", out, "--check"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    Cli.Result r = Cli.run(args.toArray());
    assertThat(r.code()).as("%s", r).isZero();
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static double ttftP50(JsonNode s) {
    return s.at("/latency/ttft_ms/p50").asDouble();
  }

  private static JsonNode remote(JsonNode s) {
    assertThat(s.at("/kv/tiers/3/tier").asText()).isEqualTo("remote");
    return s.at("/kv/tiers/3");
  }

  @Test
  void loadingFromTheSlowTierLosesToRecomputing() {
    assertThat(remote(load).get("hits").asLong()).isPositive();
    assertThat(remote(load).get("load_s").asDouble()).isPositive();
    assertThat(ttftP50(load)).isGreaterThan(ttftP50(hbmOnly));
  }

  @Test
  void autoPicksRecomputeForEveryHistoryInTheSlowTier() throws Exception {
    // histories are found in the pool, but none is loaded
    assertThat(remote(auto).get("hits").asLong()).isPositive();
    assertThat(remote(auto).get("load_s").asDouble()).isZero();
    List<String> lines = Files.readAllLines(tmp.resolve("auto").resolve("conversations.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    int tier = header.indexOf("kv_tier");
    int loadMs = header.indexOf("load_ms");
    int recomputed = header.indexOf("recomputed_tokens");
    long fromRemote = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(Double.parseDouble(f[loadMs])).as(line).isZero();
      if ("remote".equals(f[tier])) {
        fromRemote++;
        assertThat(Long.parseLong(f[recomputed])).as(line).isPositive();
      }
    }
    assertThat(fromRemote).isPositive();
    // so auto's turns are reuse recompute's, byte for byte
    assertThat(Files.readAllBytes(tmp.resolve("auto").resolve("conversations.csv")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("recompute").resolve("conversations.csv")));
    assertThat(ttftP50(auto)).isLessThan(ttftP50(load));
    assertThat(ttftP50(auto)).isLessThanOrEqualTo(ttftP50(hbmOnly));
  }
}
