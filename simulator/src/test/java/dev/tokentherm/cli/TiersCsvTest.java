package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.sim.KvTiersScenarioTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tiers.csv (outputs.tiers_csv): sim.KvTiersScenarioTest's two-turn conversation with its KV
 * demoted to DRAM after 1 s idle. Its 134,217,728 B (64 blocks × 2,097,152 B) sit in DRAM from the
 * demotion until turn 2 loads them 10 s after turn 1 ends (turn 1 arrives at 1 s, so past the
 * last sample at 11 s, after which no work is left to sample); at every sample a lower tier holds
 * bytes in − bytes out.
 */
class TiersCsvTest {
  @TempDir
  Path tmp;

  /**
   * One conversation of two 1,000 + 24-token turns, its KV demoted to DRAM 1 s after turn 1, run
   * under --check: 1,024 tokens × 131,072 B (Llama-3.1-8B bf16: 32 layers × 8 KV heads × 128 × K and V
   * × 2 B) = 134,217,728 B move down.
   */
  static final String SCENARIO = KvTiersScenarioTest.SCENARIO.formatted("dram_gib: 64", "demote-on-idle", "load")
      + "outputs: {%s: true}\n";

  private Path run(String output) throws Exception {
    Path scenario = tmp.resolve("tiers.yaml");
    Files.writeString(scenario, SCENARIO.formatted(output));
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("run", scenario, "--out", out, "--check", "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as("%s", r).isZero();
    return out;
  }

  @Test
  void eachSampleShowsEachTiersBytesHeldAndItsTrafficSoFar() throws Exception {
    Path out = run("tiers_csv");
    List<String> lines = Files.readAllLines(out.resolve("tiers.csv"));
    assertThat(lines.get(0)).isEqualTo("time_s,tier,capacity_bytes,used_bytes,hits,misses,bytes_in,bytes_out");
    boolean sawItHeld = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      if (c[1].equals("dram")) {
        assertThat(c[2]).isEqualTo(String.valueOf(64L << 30));
        assertThat(Long.parseLong(c[3])).isEqualTo(Long.parseLong(c[6]) - Long.parseLong(c[7]));
        sawItHeld |= c[3].equals("134217728");
      }
    }
    assertThat(sawItHeld).isTrue();
    // the last sample (11 s) comes before turn 2 loads the KV back: held, no hit yet
    assertThat(lines.get(lines.size() - 3)).isEqualTo("11,dram,68719476736,134217728,0,0,134217728,0");
  }

  /**
   * links.csv of the same run, under --check (the link-bytes law holds with tier traffic): the
   * demotion's 134,217,728 B cross gpu0's host link and node 0's DRAM before the last sample (11 s;
   * turn 2's load comes after it); no NVMe or NIC link moves a byte.
   */
  @Test
  void linksCsvShowsTheDemotionOnTheHostLinkAndDram() throws Exception {
    Path out = run("links_csv");
    List<String> lines = Files.readAllLines(out.resolve("links.csv"));
    assertThat(lines.get(0)).isEqualTo("time_s,link_class,link,utilization_frac,bytes");
    java.util.Map<String, Double> total = new java.util.TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      total.merge(c[1] + " " + c[2], Double.parseDouble(c[4]), Double::sum);
    }
    assertThat(total.get("host-link gpu0")).isEqualTo(134_217_728.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(total.get("dram node0")).isEqualTo(134_217_728.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(total.get("nvme-read node0")).isZero();
    assertThat(total.get("nvme-write node0")).isZero();
    assertThat(total.get("nic node0")).isZero();
  }
}
