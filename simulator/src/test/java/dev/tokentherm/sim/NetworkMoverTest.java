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
    return new NetworkMover(engine, links, new int[] {6}, new long[] {0, 10_000, 100_000, 0}, gpusOf,
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
}
