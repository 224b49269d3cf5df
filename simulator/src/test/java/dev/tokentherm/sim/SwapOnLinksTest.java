package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.net.Network;
import dev.tokentherm.serving.Faults;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swap's copies are flows on the run's network: its links carry their bytes, and the link law holds or breaks. */
class SwapOnLinksTest {
  /**
   * PreemptionTest's swap case: B's 17 blocks of 2,097,152 B, 35,651,584 B, go out and come back
   * over GPU 0's host link and node 0's DRAM: 71,303,168 B on each; no other link moves a byte. A
   * DGX H100 gives links gpu0..gpu7 (ids 0-7), then node 0's dram, nvme-read, nvme-write and nic.
   */
  @Test
  void aSwapsBytesCrossItsHostLinkAndItsNodesDram() {
    SimTestSupport.Run run = SimTestSupport.text(PreemptionTest.SCENARIO.formatted("swap")).run();
    Network.Books b = run.result().linkBooks();
    assertThat(b.linkNames()).hasSize(12);
    assertThat(b.linkBytes()[0]).isEqualTo(71_303_168.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(b.linkBytes()[8]).isEqualTo(71_303_168.0, org.assertj.core.data.Offset.offset(1.0));
    for (int l : new int[] {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}) {
      assertThat(b.linkBytes()[l]).isZero();
    }
    assertThat(b.startedBytes()).isEqualTo(2 * 35_651_584.0);
    assertThat(Conservation.violations(run.result())).isEmpty();
  }

  @Test
  void theFaultThatLosesALinksBytesBreaksTheLinkLaw() {
    SimTestSupport.Run run = SimTestSupport.text(PreemptionTest.SCENARIO.formatted("swap"))
        .runWithFaults(Faults.of(List.of("lose-link-bytes")));
    assertThat(Conservation.violations(run.result())).singleElement().asString()
        .startsWith("links: link 0 (gpu0): bytes moved ");
  }

  /**
   * links.csv's rows for the same run, sampled every 1 ms: gpu0's bytes over all samples add up to
   * what the swap moved, 71,303,168 B (both copies end before the run does), and each row's
   * utilisation is its bytes / (50e9 B/s × 1e-3 s), never above 1 (a copy, 0.713 ms, is shorter
   * than an interval).
   */
  @Test
  void linksCsvRowsAddUpToTheSwapsBytes() throws Exception {
    var loaded = SimTestSupport.text(PreemptionTest.SCENARIO.formatted("swap"), "outputs.links_csv=true",
        "outputs.sample_interval_s=0.001");
    List<double[]> gpu0 = new java.util.ArrayList<>();
    List<String> classes = new java.util.ArrayList<>();
    dev.tokentherm.metrics.SampleSink sink = new dev.tokentherm.metrics.SampleSink() {
      @Override
      public void sample(double t, String d, int running, int waiting, long used, long blocks) {}

      @Override
      public void link(double t, String linkClass, String link, double utilizationFrac, double bytes) {
        if (link.equals("gpu0")) {
          gpu0.add(new double[] {utilizationFrac, bytes});
        }
        if (t == 0.001) {
          classes.add(linkClass + " " + link);
        }
      }

      @Override
      public void close() {}
    };
    Simulation.run(loaded.scenario(), loaded.profiles(), new dev.tokentherm.metrics.RunSinks(
        dev.tokentherm.metrics.TurnSink.NONE, dev.tokentherm.metrics.RequestSink.NONE, sink), Progress.NONE,
        loaded.baseDir());
    assertThat(classes).hasSize(12).contains("host-link gpu0", "dram node0", "nvme-read node0", "nvme-write node0",
        "nic node0");
    double total = 0;
    double peak = 0;
    for (double[] row : gpu0) {
      total += row[1];
      peak = Math.max(peak, row[0]);
      assertThat(row[0]).isEqualTo(row[1] / (50e9 * 1e-3), org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(total).isEqualTo(71_303_168.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(peak).isPositive().isLessThanOrEqualTo(1.0);
  }

  /** The network's events hold no order-free ties that matter: shuffled ties give the same turns and link bytes. */
  @Test
  void shuffledTiesChangeNothing() {
    var loaded = SimTestSupport.text(PreemptionTest.SCENARIO.formatted("swap"));
    SimTestSupport.Run plain = loaded.run();
    SimTestSupport.Run shuffled = loaded.runShuffled(7);
    assertThat(shuffled.turns()).hasSameSizeAs(plain.turns());
    for (int i = 0; i < plain.turns().size(); i++) {
      assertThat(shuffled.turns().get(i).doneNs()).isEqualTo(plain.turns().get(i).doneNs());
      assertThat(shuffled.turns().get(i).swapTransferNs()).isEqualTo(plain.turns().get(i).swapTransferNs());
    }
    assertThat(shuffled.result().linkBooks().linkBytes()).containsExactly(plain.result().linkBooks().linkBytes());
  }
}
