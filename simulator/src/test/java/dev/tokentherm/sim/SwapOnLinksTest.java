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
}
