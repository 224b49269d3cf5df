package dev.tokentherm.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.net.Network;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swap's copies as flows: two GPUs in parallel, copies sharing a link, the copy back after the copy out. */
class SwapTransfersTest {
  private static final long BYTES = 500_000_000L; // per GPU: 10 ms alone on a 50 GB/s host link

  private final Engine engine = new Engine();
  private final Network net = new Network(engine);
  private final List<long[]> back = new ArrayList<>(); // {serial, ns}

  private SwapTransfers twoGpus() {
    int h0 = net.addLink("host-link", "gpu0", 50e9, 0, 0);
    int h1 = net.addLink("host-link", "gpu1", 50e9, 0, 0);
    int dram = net.addLink("dram", "node0", 614.4e9, 0, 0);
    return new SwapTransfers(engine, net, new int[][] {{h0, dram}, {h1, dram}});
  }

  private static Sequence sequence() {
    return new Sequence(new Request(null, 0, 0, 100, 100, 10, false, true));
  }

  /**
   * Two sequences preempted at once: each GPU's link carries both copies at 25 GB/s (the DRAM's
   * 614.4 GB/s does not bind: 4 × 25 = 100), so each 0.5 GB copy takes 20 ms rather than one 10 ms
   * after the other; admitted back at 5 ms, each copy in waits for its copy out (20 ms), then shares
   * again: back at 40 ms, each having spent 20 + 20 ms on the links.
   */
  @Test
  void copiesShareTheLinksAndTheCopyBackWaitsForTheCopyOut() {
    SwapTransfers swap = twoGpus();
    Sequence a = sequence();
    Sequence b = sequence();
    swap.toHost(a, BYTES);
    swap.toHost(b, BYTES);
    engine.schedule(5_000_000L, Phase.ARRIVAL, 0, (e, arg) -> {
      swap.fromHost(a, BYTES, serial -> back.add(new long[] {serial, e.now()}), 1);
      swap.fromHost(b, BYTES, serial -> back.add(new long[] {serial, e.now()}), 2);
      assertThat(net.activeFlows()).isEqualTo(4); // the copies out still run; the copies in wait
    }, 0);
    engine.run();
    assertThat(back).hasSize(2);
    assertThat(back.get(0)).containsExactly(1, 40_000_000L);
    assertThat(back.get(1)).containsExactly(2, 40_000_000L);
    assertThat(a.request.swapTransferNs).isEqualTo(40_000_000L);
    assertThat(a.swapIn).isNull();
    assertThat(a.swapOut).isNull();
  }

  /** Called off mid-copy (a shutdown), the copy's flows leave and nothing comes back. */
  @Test
  void aCopyCalledOffLeavesTheLinks() {
    SwapTransfers swap = twoGpus();
    Sequence a = sequence();
    swap.toHost(a, BYTES);
    swap.fromHost(a, BYTES, serial -> back.add(new long[] {serial, engine.now()}), 1);
    engine.schedule(5_000_000L, Phase.ARRIVAL, 0, (e, arg) -> swap.callOff(a), 0);
    engine.run();
    assertThat(back).isEmpty();
    assertThat(net.activeFlows()).isZero();
    // 5 ms at 50 GB/s on each host link: 250 MB moved, the rest never
    assertThat(net.books(engine.now()).linkBytes()[0]).isEqualTo(250e6, org.assertj.core.data.Offset.offset(1.0));
  }
}
