package dev.tokentherm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.Phase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The solver alone, on cases solved by hand. */
class NetworkTest {
  private static final long FIVE_GIB = 5L << 30; // 5,368,709,120 B
  private static final double HOST_LINK = 50e9;

  private final Engine engine = new Engine();
  private final Network net = new Network(engine);
  private final Map<Long, Long> deliveredAt = new HashMap<>();
  private final Network.FlowDone record = (flow, now) -> deliveredAt.put(flow, now);

  /**
   * 5 GiB over a 50 GB/s host link of 2 µs latency: 5,368,709,120 / 50e9 = 0.1073741824 s =
   * 107,374,182.4 ns of fluid time, rounded up to 107,374,183 ns, then the 2,000 ns latency.
   */
  @Test
  void oneFlowTakesBytesOverCapacityPlusLatency() {
    int link = net.addLink("host-link", "gpu0", HOST_LINK, 2_000, 0);
    long f = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    engine.run();
    double expectedNs = 107.374182e6 + 2_000;
    assertEquals(expectedNs, deliveredAt.get(f), expectedNs * 1e-3);
    assertEquals(107_374_183 + 2_000, deliveredAt.get(f));
  }

  /** Two 5 GiB flows on it share 25 GB/s each: both end at 2 × 107,374,182.4 = 214,748,364.8 → 214,748,365 ns. */
  @Test
  void twoConcurrentFlowsTakeTwiceAsLongEach() {
    int link = net.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
    long a = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long b = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    assertEquals(25e9, net.rateBytesPerS(a), 1);
    engine.run();
    assertEquals(214_748_365L, deliveredAt.get(a));
    assertEquals(214_748_365L, deliveredAt.get(b));
  }

  /**
   * A from 0, B from 50 ms, 5 GiB each on 50 GB/s. Alone A moves 50e9 × 0.05 = 2.5e9 B, leaving
   * 2,868,709,120 B; shared at 25 GB/s it ends 2,868,709,120 / 25e9 = 114.7483648 ms later, at
   * 164.7483648 ms. B has then moved as much, 2,868,709,120 B, leaving 2.5e9 B, alone at 50 GB/s:
   * 50 ms more, ending at 214.7483648 ms (10 GiB / 50 GB/s: the link never idles). Within 2 ns
   * (each end rounds up to a whole ns).
   */
  @Test
  void aFlowJoiningMidwayFinishesWhenTheFluidModelSays() {
    int link = net.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
    long a = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long[] b = new long[1];
    engine.schedule(50_000_000L, Phase.ARRIVAL, 0,
        (e, arg) -> b[0] = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record), 0);
    engine.run();
    assertEquals(164_748_364.8, deliveredAt.get(a), 2);
    assertEquals(214_748_364.8, deliveredAt.get(b[0]), 2);
  }

  /**
   * Links L1 = 10, L2 = 6, L3 = 9 GB/s; flows f1 {L1}, f2 {L1, L2}, f3 {L2, L3}, f4 {L3}. Filling:
   * shares L1 10/2 = 5, L2 6/2 = 3, L3 9/2 = 4.5: all rise by 3, L2 fills, f2 = f3 = 3 freeze. Left:
   * L1 10 − 6 = 4 for f1 alone, L3 9 − 6 = 3 for f4 alone: both rise 3 more, L3 fills, f4 = 6
   * freezes. L1 has 1 left: f1 = 7. So (7, 3, 3, 6); every link full (7+3, 3+3, 3+6).
   */
  @Test
  void threeLinkMaxMinCaseSolvedOnPaper() {
    int l1 = net.addLink("fabric", "L1", 10e9, 0, 0);
    int l2 = net.addLink("fabric", "L2", 6e9, 0, 0);
    int l3 = net.addLink("fabric", "L3", 9e9, 0, 0);
    long f1 = net.startFlow(new int[] {l1}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long f2 = net.startFlow(new int[] {l1, l2}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long f3 = net.startFlow(new int[] {l2, l3}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long f4 = net.startFlow(new int[] {l3}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    assertEquals(7e9, net.rateBytesPerS(f1), 1);
    assertEquals(3e9, net.rateBytesPerS(f2), 1);
    assertEquals(3e9, net.rateBytesPerS(f3), 1);
    assertEquals(6e9, net.rateBytesPerS(f4), 1);
  }

  /**
   * The chunk form fits Mooncake's EFA point it was fitted on: 65536 / (65536 / 400e9 + 511.79 ns) =
   * 65536 / 675.63 ns = 97.0 GB/s; and its check, 1 MiB: 334.7 GB/s (the 365 measured is 8 % above).
   */
  @Test
  void chunkSizeCapsAFlow() {
    assertEquals(97e9, ChunkRate.bytesPerS(400e9, ChunkRate.NIC_OVERHEAD_NS, 65536), 97e9 * 1e-4);
    assertEquals(334.66e9, ChunkRate.bytesPerS(400e9, ChunkRate.NIC_OVERHEAD_NS, 1 << 20), 334.66e9 * 1e-4);
    // on one 400 GB/s NIC link: the 64 KiB flow freezes at its 97 GB/s cap, the other takes the 303 left
    int nic = net.addLink("nic", "node0", 400e9, 0, ChunkRate.NIC_OVERHEAD_NS);
    long small = net.startFlow(new int[] {nic}, FIVE_GIB, 65536, record);
    long large = net.startFlow(new int[] {nic}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    assertEquals(97e9, net.rateBytesPerS(small), 97e9 * 1e-4);
    assertEquals(303e9, net.rateBytesPerS(large), 303e9 * 1e-4);
  }

  /**
   * Cancelled at 50 ms, the first of two 25 GB/s flows has moved 1.25e9 B; the other then runs alone
   * at 50 GB/s: its 5,368,709,120 − 1.25e9 = 4,118,709,120 B take 82.3741824 ms, ending at
   * 132.3741824 ms. The books still balance: the link moved 1.25e9 + 5,368,709,120 B.
   */
  @Test
  void aCancelledFlowGivesItsShareBack() {
    int link = net.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
    long a = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    long b = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    engine.schedule(50_000_000L, Phase.ARRIVAL, 0, (e, arg) -> assertTrue(net.cancel(a)), 0);
    engine.run();
    assertFalse(deliveredAt.containsKey(a));
    assertFalse(net.cancel(a));
    assertEquals(132_374_182.4, deliveredAt.get(b), 2);
    Network.Books books = net.books(engine.now());
    assertEquals(1.25e9 + FIVE_GIB, books.linkBytes()[0], 1);
    assertEquals(books.linkBytes()[0], books.flowBytes()[0], 1e-3);
    assertEquals(FIVE_GIB - 1.25e9, books.cancelledBytes(), 1);
  }

  /** Bytes are conserved on every link, mid-flow too; the fault that loses a link's bytes breaks it. */
  @Test
  void linkBytesEqualTheBytesOfTheirFlowsUnlessTheFaultLosesSome() {
    for (boolean fault : new boolean[] {false, true}) {
      Engine e = new Engine();
      Network n = new Network(e);
      if (fault) {
        n.loseLinkBytes();
      }
      int host = n.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
      int dram = n.addLink("dram", "node0", 60e9, 0, 0);
      n.startFlow(new int[] {host, dram}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
      e.schedule(10_000_000L, Phase.ARRIVAL, 0,
          (en, arg) -> n.startFlow(new int[] {dram}, FIVE_GIB, Double.POSITIVE_INFINITY, record), 0);
      e.runUntil(60_000_000L);
      Network.Books b = n.books(e.now());
      boolean balanced = true;
      for (int l = 0; l < 2; l++) {
        balanced &= Math.abs(b.linkBytes()[l] - b.flowBytes()[l]) <= 1;
      }
      assertEquals(!fault, balanced);
    }
  }

  @Test
  void aRouteWithNoBoundIsRefused() {
    int free = net.addLink("dram", "unbounded", Double.POSITIVE_INFINITY, 0, 0);
    assertThrows(IllegalArgumentException.class,
        () -> net.startFlow(new int[] {free}, 1, Double.POSITIVE_INFINITY, record));
    int host = net.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
    long f = net.startFlow(new int[] {host, free}, 1, Double.POSITIVE_INFINITY, record);
    assertNotEquals(0, net.rateBytesPerS(f));
    assertEquals(HOST_LINK, net.rateBytesPerS(f), 1);
  }

  /** Two flows ending at one instant: the first one's callback calls the second off, which is then never delivered. */
  @Test
  void aCallbackMayCancelAFlowThatEndsAtTheSameInstant() {
    int link = net.addLink("host-link", "gpu0", HOST_LINK, 0, 0);
    long[] second = new long[1];
    long first = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, (flow, now) -> {
      deliveredAt.put(flow, now);
      assertTrue(net.cancel(second[0]));
    });
    second[0] = net.startFlow(new int[] {link}, FIVE_GIB, Double.POSITIVE_INFINITY, record);
    engine.run();
    assertEquals(214_748_365L, deliveredAt.get(first));
    assertFalse(deliveredAt.containsKey(second[0]));
    Network.Books books = net.books(engine.now());
    assertEquals(2.0 * FIVE_GIB, books.linkBytes()[0], 1);
    assertEquals(books.linkBytes()[0], books.flowBytes()[0], 1e-3);
  }
}
