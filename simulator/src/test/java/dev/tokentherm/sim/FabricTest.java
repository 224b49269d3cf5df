package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.net.Network;
import dev.tokentherm.results.Summary;
import dev.tokentherm.scenario.Fabric;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fabric's links (cluster.fabric, sim.TierSetup.fabricLinks) from the node profiles: three DGX
 * H100, two to a rack; each has 8 NICs of 400 Gbit/s = 8 × 400e9 / 8 = 400e9 B/s. The remote pool's
 * traffic crosses them on [host link, NICs, fabric, pool]; NetworkMoverTest solves the sharing.
 */
class FabricTest {
  private static final String THREE_NODES = """
      name: fabric
      horizon_s: 10
      cluster:
        nodes: [{profile: dgx-h100, count: 3}]
        racks: {nodes_per_rack: 2}
        kv_tiers: {remote_gib: 64}
        fabric: %s
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 3, kv: {placement: write-through}}
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 2}
            turns: {distribution: constant, value: 3}
            user_tokens: {distribution: constant, value: 2000}
            model_tokens: {distribution: constant, value: 50}
            think_time_s: {distribution: constant, value: 2}
      outputs: {links_csv: true}
      """;

  private static Network links(String fabric, int[] ofNode) throws Exception {
    SimTestSupport.Loaded s = SimTestSupport.text(THREE_NODES.formatted(fabric));
    Network network = new Network(new Engine());
    Fabric spec = s.scenario().cluster().fabric();
    int[] of = TierSetup.fabricLinks(spec, Placement.of(s.scenario(), s.profiles()), network);
    System.arraycopy(of, 0, ofNode, 0, of.length);
    return network;
  }

  @Test
  void aNonBlockingFabricIsTheSumOfItsNodesNics() throws Exception {
    int[] of = new int[3];
    Network cluster = links("{}", of);
    // one link for the cluster: 3 × 400e9 B/s, no latency
    assertThat(cluster.linkCount()).isEqualTo(1);
    assertThat(cluster.linkClass(0)).isEqualTo(TierSetup.FABRIC);
    assertThat(cluster.capacityBytesPerS(0)).isEqualTo(1.2e12);
    assertThat(cluster.latencyNs(0)).isZero();
    assertThat(of).containsExactly(0, 0, 0);
    // per rack: nodes 0 and 1 behind rack 0's 800e9 B/s, node 2 behind rack 1's 400e9
    Network racks = links("{per: rack}", of);
    assertThat(racks.linkCount()).isEqualTo(2);
    assertThat(racks.capacityBytesPerS(0)).isEqualTo(8e11);
    assertThat(racks.capacityBytesPerS(1)).isEqualTo(4e11);
    assertThat(of).containsExactly(0, 0, 1);
  }

  @Test
  void aGivenFabricHasItsCapacityAndLatency() throws Exception {
    int[] of = new int[3];
    Network racks = links("{per: rack, gb_per_s: {value: 100, source: test}, latency_us: {value: 2, source: test}}",
        of);
    for (int l = 0; l < 2; l++) {
      assertThat(racks.capacityBytesPerS(l)).isEqualTo(1e11);
      assertThat(racks.latencyNs(l)).isEqualTo(2_000);
    }
  }

  /**
   * A run with the remote pool: every byte to or from the pool crosses its node's NICs and the
   * fabric, and no other traffic does, so summary.json's links block gives the fabric the bytes of
   * the pool links and of the NICs; a class's mean utilisation is its bytes over its capacity × the
   * simulated seconds, and no sample interval's above 1.
   */
  @Test
  void theFabricCarriesThePoolsBytesAndTheLinksBlockSaysSo() {
    SimTestSupport.Run run = SimTestSupport.text(THREE_NODES.formatted(
        "{gb_per_s: {value: 10, source: test}}")).run();
    InvariantsTest.assertConserved(run);
    List<Summary.LinkClass> classes = run.result().linkClasses();
    Summary.LinkClass fabric = byClass(classes, "fabric");
    Summary.LinkClass pool = byClass(classes, "pool");
    Summary.LinkClass nic = byClass(classes, "nic");
    assertThat(fabric.links()).isEqualTo(1);
    assertThat(pool.links()).isEqualTo(3);
    assertThat(fabric.bytes()).isPositive();
    assertThat(fabric.bytes()).isCloseTo(pool.bytes(), org.assertj.core.data.Offset.offset(1.0));
    assertThat(nic.bytes()).isCloseTo(pool.bytes(), org.assertj.core.data.Offset.offset(1.0));
    double seconds = run.result().endNs() * 1e-9;
    assertThat(fabric.capacityBytesPerS()).isEqualTo(1e10);
    assertThat(fabric.meanUtilizationFrac()).isCloseTo(fabric.bytes() / (1e10 * seconds),
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(fabric.peakUtilizationFrac()).isPositive().isLessThanOrEqualTo(1 + 1e-9); // never over capacity
    assertThat(fabric.peakLinkUtilizationFrac()).isEqualTo(fabric.peakUtilizationFrac()); // one link
  }

  private static Summary.LinkClass byClass(List<Summary.LinkClass> classes, String name) {
    return classes.stream().filter(c -> c.linkClass().equals(name)).findFirst().orElseThrow();
  }
}
