package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/connector-compare.yaml (issue 13): the same chats under vllm-offloading and under
 * lmcache-default. LMCache stores only the prompts' whole 256-token chunks, so its turns recompute
 * more of their history; its loads are synchronous, so the batches they land in wait for them and
 * co-batched turns see longer token gaps. Directions only, each run under --check (the tier law
 * included); the figures are in the scenario's header and the README.
 */
class ConnectorCompareScenarioTest {
  private static final Path SCENARIO = Path.of("scenarios", "connector-compare.yaml");
  private static final double GIB = 1024.0 * 1024 * 1024;

  @TempDir
  static Path tmp;

  private static JsonNode vllm;
  private static JsonNode lmcache;

  @BeforeAll
  static void runBoth() throws Exception {
    vllm = run("vllm-offloading");
    lmcache = run("lmcache-default");
  }

  private static JsonNode run(String connector) throws Exception {
    Path out = tmp.resolve(connector);
    Cli.Result r = Cli.run("run", SCENARIO, "--out", out, "--check", "--set", "deployments[0].kv.connector=" + connector);
    assertThat(r.code()).as("%s", r).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.at("/run/status").asText()).isEqualTo("ok");
    return summary;
  }

  private static JsonNode dram(JsonNode s) {
    assertThat(s.at("/kv/tiers/1/tier").asText()).isEqualTo("dram");
    return s.at("/kv/tiers/1");
  }

  /** Σ recomputed_tokens over the run's turns (requests.csv). */
  private static long recomputed(String connector) throws Exception {
    List<String> lines = Files.readAllLines(tmp.resolve(connector).resolve("requests.csv"));
    int column = List.of(lines.get(0).split(",", -1)).indexOf("recomputed_tokens");
    long sum = 0;
    for (String line : lines.subList(1, lines.size())) {
      sum += Long.parseLong(line.split(",", -1)[column]);
    }
    return sum;
  }

  @Test
  void lmcacheRecomputesMoreOfEachHistory() throws Exception {
    assertThat(recomputed("lmcache-default")).isGreaterThan(recomputed("vllm-offloading"));
  }

  @Test
  void lmcachesSynchronousLoadsLengthenTheGapsOfTheTurnsBatchedWithThem() {
    assertThat(lmcache.at("/latency/max_tbt_ms/p99").asDouble()).isGreaterThan(vllm.at("/latency/max_tbt_ms/p99").asDouble());
    assertThat(lmcache.at("/latency/tbt_ms/p99").asDouble()).isGreaterThan(vllm.at("/latency/tbt_ms/p99").asDouble());
  }

  @Test
  void lmcachesCpuCacheCapsTheDramTier() {
    // four replicas of two GPUs, each GPU's worker with LMCache's 4.66 GiB: 8 × 5,003,636,899 B, under the 256 GiB asked
    assertThat(dram(lmcache).get("capacity_bytes").asLong()).isEqualTo(8 * (long) (4.66 * GIB));
    assertThat(dram(vllm).get("capacity_bytes").asLong()).isEqualTo((long) (256 * GIB));
    assertThat(dram(lmcache).get("peak_bytes").asLong()).isLessThanOrEqualTo(8 * (long) (4.66 * GIB));
    // both find histories there; the smaller cache finds no more of them
    assertThat(dram(lmcache).get("hits").asLong()).isPositive().isLessThanOrEqualTo(dram(vllm).get("hits").asLong());
  }
}
