package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.net.Network;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tier copies are flows on the run's links: KvTiersScenarioTest's two-turn conversation (one
 * H100 of a DGX H100, 134,217,728 B of KV demoted after 1 s idle, loaded back by turn 2) with each
 * lower tier alone. A DGX H100 gives links gpu0..gpu7 (ids 0-7), then node 0's dram (8), nvme-read
 * (9), nvme-write (10) and nic (11); a remote pool adds node 0's pool link (12) and the cluster's
 * fabric (13: non-blocking by default, the node's 8 × 400 Gbit/s NICs, 400e9 B/s). The demotion and
 * the load each move the 134,217,728 B once over every link of their route.
 */
class TiersOnLinksTest {
  private static final double KV = 134_217_728.0;

  private static SimTestSupport.Run run(String tiers) {
    return SimTestSupport.text(KvTiersScenarioTest.SCENARIO.formatted(tiers, "demote-on-idle", "load")).run();
  }

  private static Request second(SimTestSupport.Run run) {
    return run.turns().stream().filter(t -> t.turn() == 1).findFirst().orElseThrow();
  }

  private static void assertBytes(Network.Books b, double... perLink) {
    assertThat(b.linkBytes()).hasSize(perLink.length);
    for (int l = 0; l < perLink.length; l++) {
      assertThat(b.linkBytes()[l]).as("link %d", l).isEqualTo(perLink[l], offset(1.0));
    }
  }

  /** DRAM: HBM → DRAM and back over [gpu0's host link, node 0's DRAM]: 2 × 134,217,728 B on each. */
  @Test
  void dramCopiesCrossTheHostLinkAndDram() {
    SimTestSupport.Run run = run("dram_gib: 64");
    assertBytes(run.result().linkBooks(), 2 * KV, 0, 0, 0, 0, 0, 0, 0, 2 * KV, 0, 0, 0);
    assertThat(Conservation.violations(run.result())).isEmpty();
  }

  /**
   * NVMe: through host memory, out over [host link, DRAM, NVMe write], back over [host link, DRAM,
   * NVMe read]. The load: the NVMe latency 100 µs + 134,217,728 B / min(host link 50, DRAM 614.4,
   * NVMe read 50 GB/s) = 100,000 + 2,684,354.56 → 2,684,355 ns = 2,784,355 ns.
   */
  @Test
  void nvmeCopiesAreStagedInHostMemory() {
    SimTestSupport.Run run = run("nvme_gib: 64");
    Request r = second(run);
    assertThat(r.kvTier()).isEqualTo(Tiers.NVME);
    assertThat(r.loadNs()).isEqualTo(2_784_355L);
    assertBytes(run.result().linkBooks(), 2 * KV, 0, 0, 0, 0, 0, 0, 0, 2 * KV, KV, KV, 0);
    assertThat(Conservation.violations(run.result())).isEmpty();
  }

  /**
   * Remote pool: over [host link, the NICs, the fabric, node 0's pool link (remote_gb_per_s 25, 20 µs)], in
   * chunks of one 2,097,152 B KV block, whose NIC cap 2,097,152 / (2,097,152 / 400e9 s + 511.79 ns)
   * = 364 GB/s is far above the pool's 25 GB/s. The load: 134,217,728 / 25e9 = 5,368,709.12 →
   * 5,368,710 ns + 20,000 ns = 5,388,710 ns.
   */
  @Test
  void remoteCopiesCrossTheNicsAndThePoolLink() {
    SimTestSupport.Run run = run("remote_gib: 64");
    Request r = second(run);
    assertThat(r.kvTier()).isEqualTo(Tiers.REMOTE);
    assertThat(r.loadNs()).isEqualTo(5_388_710L);
    Network.Books b = run.result().linkBooks();
    assertThat(b.linkNames()[12]).isEqualTo("node0");
    assertThat(b.linkNames()[13]).isEqualTo("cluster");
    assertBytes(b, 2 * KV, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * KV, 2 * KV, 2 * KV);
    assertThat(Conservation.violations(run.result())).isEmpty();
  }

  @Test
  void theFaultThatLosesALinksBytesBreaksTheLinkLawInATieredRun() {
    SimTestSupport.Run run = SimTestSupport.text(KvTiersScenarioTest.SCENARIO.formatted("dram_gib: 64",
        "demote-on-idle", "load")).runWithFaults(Faults.of(List.of("lose-link-bytes")));
    assertThat(Conservation.violations(run.result())).singleElement().asString()
        .startsWith("links: link 0 (gpu0): bytes moved ");
  }
}
