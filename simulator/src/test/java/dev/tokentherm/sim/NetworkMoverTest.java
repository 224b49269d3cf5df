package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.kv.tier.TierMover;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.net.ChunkRate;
import dev.tokentherm.net.Links;
import dev.tokentherm.net.Network;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tier copies as flows on hand-built links, one node: GPU 0's and GPU 1's host links 50 GB/s
 * (ids 0, 1), DRAM 60 GB/s (2), NVMe read 20 GB/s (3), NVMe write 10 GB/s (4), NICs 50 GB/s with
 * the NIC chunk overhead (5), the pool 25 GB/s with 20 µs latency (6). Tier latencies added at a
 * copy's end: DRAM 10 µs, NVMe 100 µs. Times solved by hand; the fluid finish rounds up to a ns.
 */
class NetworkMoverTest {
  private final Engine engine = new Engine();
  private final Network network = new Network(engine);
  private final Map<Long, Long> doneAt = new HashMap<>();
  private final TierMover.Done record = (token, now) -> doneAt.put(token, now);

  /** {@code gpusOf[first GPU]}: the replicas; {@code chunkBytes}: one GPU's share of a KV block. */
  private NetworkMover mover(int[][] gpusOf, double chunkBytes) {
    network.addLink(Links.HOST_LINK, "gpu0", 50e9, 0, 0);
    network.addLink(Links.HOST_LINK, "gpu1", 50e9, 0, 0);
    network.addLink(Links.DRAM, "node0", 60e9, 0, 0);
    network.addLink(Links.NVME_READ, "node0", 20e9, 0, 0);
    network.addLink(Links.NVME_WRITE, "node0", 10e9, 0, 0);
    network.addLink(Links.NIC, "node0", 50e9, 0, ChunkRate.NIC_OVERHEAD_NS);
    network.addLink(NetworkMover.POOL, "node0", 25e9, 20_000, 0);
    Links links = new Links(network, new int[] {0, 1}, new int[] {0, 0}, new int[] {2}, new int[] {3},
        new int[] {4}, new int[] {5});
    return new NetworkMover(engine, links, new int[] {6}, null, new long[] {0, 10_000, 100_000, 0}, gpusOf,
        new double[] {chunkBytes, chunkBytes});
  }

  /**
   * A TP2 replica loads 2e9 B from DRAM: one flow of 1e9 B per GPU over [its host link, DRAM]; the
   * two share DRAM's 60 GB/s at 30 GB/s each (under their host links' 50): 1e9 / 30e9 =
   * 33,333,333.3 ns → 33,333,334 ns, + 10 µs = 33,343,334 ns. The estimate is the same on idle links.
   */
  @Test
  void aReplicasGpusCopyTheirSharesInParallelAndTheCopyEndsWithTheLast() {
    NetworkMover m = mover(new int[][] {{0, 1}, null}, Double.POSITIVE_INFINITY);
    m.start(Tiers.DRAM, Tiers.HBM, 0, 0, 2, 2_000_000_000L, 0, record, 7);
    assertThat(network.activeFlows()).isEqualTo(2);
    engine.run();
    assertThat(doneAt).containsOnlyKeys(7L);
    assertThat(doneAt.get(7L)).isEqualTo(33_343_334L);
    assertThat(m.estimateS(Tiers.DRAM, Tiers.HBM, 0, 0, 2, 2_000_000_000L)).isCloseTo(0.033343333, within(1e-9));
    // each host link moved its GPU's 1e9 B, DRAM both
    assertThat(network.carriedBytes(0, engine.now())).isCloseTo(1e9, within(1.0));
    assertThat(network.carriedBytes(1, engine.now())).isCloseTo(1e9, within(1.0));
    assertThat(network.carriedBytes(2, engine.now())).isCloseTo(2e9, within(1.0));
  }

  /**
   * Two one-GPU replicas load 1.2e9 B each from DRAM at once: they share DRAM at 30 GB/s each, so
   * both end at 1.2e9 / 30e9 = 40 ms + 10 µs = 40,010,000 ns (one at a time, the second would have
   * waited for the first's 24 ms). Alone, a copy's estimate is 10 µs + 1.2e9 / 50e9 = 24.01 ms.
   */
  @Test
  void concurrentCopiesShareTheLinksInsteadOfQueueing() {
    NetworkMover m = mover(new int[][] {{0}, {1}}, Double.POSITIVE_INFINITY);
    m.start(Tiers.DRAM, Tiers.HBM, 0, 0, 1, 1_200_000_000L, 0, record, 1);
    m.start(Tiers.DRAM, Tiers.HBM, 0, 1, 1, 1_200_000_000L, 0, record, 2);
    engine.run();
    assertThat(doneAt.get(1L)).isEqualTo(40_010_000L);
    assertThat(doneAt.get(2L)).isEqualTo(40_010_000L);
    assertThat(m.estimateS(Tiers.DRAM, Tiers.HBM, 0, 0, 1, 1_200_000_000L)).isCloseTo(0.02401, within(1e-12));
  }

  /**
   * NVMe → HBM goes through host memory: [host link, DRAM, NVMe read], the slowest NVMe read at 20
   * GB/s: 1e9 / 20e9 = 50 ms + 100 µs = 50,100,000 ns; the host link and DRAM carry its bytes too.
   * HBM → NVMe writes over NVMe write; DRAM → NVMe (no GPU) is one flow over [DRAM, NVMe write].
   */
  @Test
  void nvmeCopiesAreStagedInHostMemory() {
    NetworkMover m = mover(new int[][] {{0}, null}, Double.POSITIVE_INFINITY);
    m.start(Tiers.NVME, Tiers.HBM, 0, 0, 1, 1_000_000_000L, 0, record, 1);
    engine.run();
    assertThat(doneAt.get(1L)).isEqualTo(50_100_000L);
    long t = engine.now();
    assertThat(network.carriedBytes(0, t)).isCloseTo(1e9, within(1.0));
    assertThat(network.carriedBytes(2, t)).isCloseTo(1e9, within(1.0));
    assertThat(network.carriedBytes(3, t)).isCloseTo(1e9, within(1.0));
    m.start(Tiers.HBM, Tiers.NVME, 0, 0, 1, 1_000_000_000L, t, null, 0);
    m.start(Tiers.DRAM, Tiers.NVME, 0, 0, 1, 1_000_000_000L, t, null, 0);
    engine.run();
    t = engine.now();
    assertThat(network.carriedBytes(0, t)).isCloseTo(2e9, within(1.0)); // the DRAM → NVMe copy skips the GPU
    assertThat(network.carriedBytes(2, t)).isCloseTo(3e9, within(1.0));
    assertThat(network.carriedBytes(4, t)).isCloseTo(2e9, within(1.0));
    assertThat(network.activeFlows()).isZero();
  }

  /**
   * The remote pool over the NICs in chunks of 16,384 B: the NICs' chunk cap is 16,384 B /
   * (16,384 / 50e9 s + 511.79 ns) = 16,384 B / 839.47 ns = 19.517 GB/s, under the pool's 25 GB/s.
   * 1e9 B take 1e9 × 839.47 ns / 16,384 = 51,237,182.6 ns (±2 ns of float rounding) + the pool
   * link's 20 µs = 51,257,183 ns.
   */
  @Test
  void remoteCopiesPayTheNicsChunkOverheadAndThePoolsLatency() {
    NetworkMover m = mover(new int[][] {{0}, null}, 16_384);
    m.start(Tiers.REMOTE, Tiers.HBM, 0, 0, 1, 1_000_000_000L, 0, record, 1);
    engine.run();
    assertThat(doneAt.get(1L)).isBetween(51_257_181L, 51_257_185L);
    assertThat(m.estimateS(Tiers.REMOTE, Tiers.HBM, 0, 0, 1, 1_000_000_000L)).isCloseTo(0.0512571826, within(2e-9));
    assertThat(network.carriedBytes(6, engine.now())).isCloseTo(1e9, within(1.0));
  }

  /** A cancelled copy never reports; its flows leave the links, their unmoved bytes on the books as cancelled. */
  @Test
  void cancelCallsOffEveryFlowOfTheCopy() {
    NetworkMover m = mover(new int[][] {{0, 1}, null}, Double.POSITIVE_INFINITY);
    long handle = m.start(Tiers.DRAM, Tiers.HBM, 0, 0, 2, 2_000_000_000L, 0, record, 1);
    m.cancel(handle);
    assertThat(network.activeFlows()).isZero();
    engine.run();
    assertThat(doneAt).isEmpty();
    assertThat(network.books(engine.now()).cancelledBytes()).isEqualTo(2e9);
  }

  /** Cancelled during its tier latency (its bytes all moved): the copy still never reports. */
  @Test
  void cancelDuringTheLatencyCallsOffTheReport() {
    NetworkMover m = mover(new int[][] {{0}, null}, Double.POSITIVE_INFINITY);
    // 1e9 B over 50 GB/s: its bytes have moved at 20 ms, the report is due 10 µs later
    long handle = m.start(Tiers.DRAM, Tiers.HBM, 0, 0, 1, 1_000_000_000L, 0, record, 1);
    engine.runUntil(20_005_000L);
    m.cancel(handle);
    engine.run();
    assertThat(doneAt).isEmpty();
  }

  /**
   * Background copies no one waits for (block spills) queue per route instead of each being a flow:
   * three spills of 0.5e9 B from GPU 0's HBM to DRAM at once are one flow of 0.5e9 B, then one of
   * the 1e9 B that waited, [host link 50 GB/s, DRAM 60 GB/s]: 10 ms + 10 µs (the tier latency), then
   * 20 ms + 10 µs: the host link carries all 1.5e9 B, by 30,020,000 ns.
   */
  @Test
  void spillsWaitBehindTheSpillInFlightOnTheirRoute() {
    NetworkMover m = mover(new int[][] {{0}, {1}}, Double.POSITIVE_INFINITY);
    for (int i = 0; i < 3; i++) {
      m.start(Tiers.HBM, Tiers.DRAM, 0, 0, 1, 500_000_000L, 0, null, 0);
    }
    assertThat(network.activeFlows()).isEqualTo(1);
    engine.run();
    assertThat(engine.now()).isEqualTo(30_020_000L);
    assertThat(network.carriedBytes(0, engine.now())).isCloseTo(1.5e9, within(1.0));
    assertThat(network.activeFlows()).isZero();
  }

  /**
   * Issue 13's hand check through the mover: 5 GiB = 5,368,709,120 B from GPU 0's HBM to DRAM, one
   * flow over [host link 50 GB/s, DRAM 60 GB/s]: 107,374,182.4 ns → 107,374,183 ns (107.4 ms), then
   * the DRAM tier's 10 µs, once: 107,384,183 ns, within 0.1 % of 107.4 ms + the latency.
   */
  @Test
  void fiveGibOverTheHostLinkTakes107Point4MsPlusTheLatencyOnce() {
    NetworkMover m = mover(new int[][] {{0}, null}, Double.POSITIVE_INFINITY);
    m.start(Tiers.HBM, Tiers.DRAM, 0, 0, 1, 5L << 30, 0, record, 1);
    engine.run();
    assertThat(doneAt.get(1L)).isEqualTo(107_384_183L);
    assertThat((double) doneAt.get(1L)).isCloseTo(107.4e6 + 10_000, within((107.4e6 + 10_000) * 1e-3));
    assertThat(m.estimateS(Tiers.HBM, Tiers.DRAM, 0, 0, 1, 5L << 30)).isCloseTo(0.1073841824, within(1e-12));
  }

  /**
   * Each tier latency once, as its key says; links' latencies on top. One stream of 1e9 B (no chunk
   * cap) on idle links: DRAM → NVMe [DRAM 60, NVMe write 10]: 100 ms + NVMe's 100 µs (DRAM's 10 µs
   * is a GPU DMA launch, not paid without a GPU); HBM → NVMe [host link 50, DRAM, NVMe write]: the
   * same; DRAM → remote [DRAM, NICs 50, pool 25]: 40 ms + the pool link's 20 µs; NVMe → remote [DRAM,
   * NVMe read 20, NICs, pool]: 50 ms + NVMe's 100 µs + the pool's 20 µs. Timed, two such background
   * copies one behind the other: the second starts when the first ends, 50.12 ms, and ends
   * 50.12 ms later, 100,240,000 ns (the NVMe latency left out, it would be 100,040,000).
   */
  @Test
  void aCopyPaysEachTierLatencyOnceAndItsLinksLatenciesOnTop() {
    NetworkMover m = mover(new int[][] {{0}, null}, Double.POSITIVE_INFINITY);
    assertThat(m.estimateS(Tiers.DRAM, Tiers.NVME, 0, 0, 1, 1_000_000_000L)).isCloseTo(0.1001, within(1e-12));
    assertThat(m.estimateS(Tiers.HBM, Tiers.NVME, 0, 0, 1, 1_000_000_000L)).isCloseTo(0.1001, within(1e-12));
    assertThat(m.estimateS(Tiers.DRAM, Tiers.REMOTE, 0, 0, 1, 1_000_000_000L)).isCloseTo(0.04002, within(1e-12));
    assertThat(m.estimateS(Tiers.NVME, Tiers.REMOTE, 0, 0, 1, 1_000_000_000L)).isCloseTo(0.05012, within(1e-12));
    m.start(Tiers.NVME, Tiers.REMOTE, 0, 0, 1, 1_000_000_000L, 0, null, 0);
    m.start(Tiers.NVME, Tiers.REMOTE, 0, 0, 1, 1_000_000_000L, 0, null, 0);
    assertThat(network.activeFlows()).isEqualTo(1);
    engine.run();
    assertThat(engine.now()).isEqualTo(100_240_000L);
  }

  /**
   * The fabric (cluster.fabric): two nodes, one GPU each, host links 50 GB/s (ids 0, 1), DRAM 60
   * (2, 3), NICs 50 (4, 5), one cluster fabric link of 30 GB/s and 1 µs (6), a pool link per node of
   * 25 GB/s and 20 µs (7, 8). Both GPUs load 1.5e9 B from the pool at once over [host link, NICs,
   * fabric, pool]: the fabric, narrower than either NIC and than the two pool links together, fills
   * first and splits 15 GB/s each: 1.5e9 / 15e9 = 100 ms, + 1 + 20 µs = 100,021,000 ns for both.
   * Alone, a copy runs at its pool link's 25 GB/s: 60 ms + 21 µs. The fabric carries both, 3e9 B.
   */
  @Test
  void twoNodesReadingThePoolAtOnceSplitAFabricNarrowerThanTheirNics() {
    for (int node = 0; node < 2; node++) {
      network.addLink(Links.HOST_LINK, "gpu" + node, 50e9, 0, 0);
    }
    for (int node = 0; node < 2; node++) {
      network.addLink(Links.DRAM, "node" + node, 60e9, 0, 0);
    }
    for (int node = 0; node < 2; node++) {
      network.addLink(Links.NIC, "node" + node, 50e9, 0, ChunkRate.NIC_OVERHEAD_NS);
    }
    network.addLink(TierSetup.FABRIC, "cluster", 30e9, 1_000, 0);
    for (int node = 0; node < 2; node++) {
      network.addLink(NetworkMover.POOL, "node" + node, 25e9, 20_000, 0);
    }
    Links links = new Links(network, new int[] {0, 1}, new int[] {0, 1}, new int[] {2, 3}, new int[] {-1, -1},
        new int[] {-1, -1}, new int[] {4, 5});
    NetworkMover m = new NetworkMover(engine, links, new int[] {7, 8}, new int[] {6, 6}, new long[] {0, 10_000,
        100_000, 0}, new int[][] {{0}, {1}}, new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY});
    assertThat(m.estimateS(Tiers.REMOTE, Tiers.HBM, 0, 0, 1, 1_500_000_000L)).isCloseTo(0.060021, within(1e-12));
    m.start(Tiers.REMOTE, Tiers.HBM, 0, 0, 1, 1_500_000_000L, 0, record, 1);
    m.start(Tiers.REMOTE, Tiers.HBM, 1, 1, 1, 1_500_000_000L, 0, record, 2);
    engine.run();
    assertThat(doneAt.get(1L)).isEqualTo(100_021_000L);
    assertThat(doneAt.get(2L)).isEqualTo(100_021_000L);
    assertThat(network.carriedBytes(6, engine.now())).isCloseTo(3e9, within(1.0));
    assertThat(network.carriedBytes(4, engine.now())).isCloseTo(1.5e9, within(1.0));
  }
}
