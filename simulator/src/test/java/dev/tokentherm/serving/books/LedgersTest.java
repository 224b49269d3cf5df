package dev.tokentherm.serving.books;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LedgersTest {
  @Test
  void idleEnergyIsSplitEquallyAmongResidentConversations() {
    // a replica of 2 GPUs at 120 W idles: 240 W; its meters read 1,000 W while it is busy (3-4 s),
    // which is the iteration's energy, not idle energy
    IdleLedger idle = new IdleLedger(ns -> 240 * (ns * 1e-9) + 760 * Math.min(1, Math.max(0, ns * 1e-9 - 3)));
    double a = idle.join(0);                         // A alone for 1 s: 240 J to A
    double b = idle.join(1_000_000_000L);            // A and B for 2 s: 240 J each
    idle.setIdle(3_000_000_000L, false);             // busy 1 s: no idle energy
    idle.setIdle(4_000_000_000L, true);
    double aShare = idle.leave(5_000_000_000L, a);   // 1 more s shared: 120 J each
    double bShare = idle.leave(6_000_000_000L, b);   // B alone 1 s: 240 J
    idle.advance(7_000_000_000L);                    // nobody resident: 240 J unattributed
    assertThat(aShare).isCloseTo(240 + 240 + 120, within(1e-9));
    assertThat(bShare).isCloseTo(240 + 120 + 240, within(1e-9));
    assertThat(idle.attributedJ()).isCloseTo(1200, within(1e-9));
    assertThat(idle.unattributedJ()).isCloseTo(240, within(1e-9));
  }

  @Test
  void decodeLedgerEqualsASumOverIterations() {
    // iteration k gives each decode sequence a(k) + b(k) · g(k); g rises by 1 per iteration from
    // 1,000 on slot 0, and stays at 2,048 on slot 1 (a capped curve)
    DecodeEnergyLedger ledger = new DecodeEnergyLedger();
    for (long k = 0; k < 5; k++) {
      ledger.addIteration(k, 1.0 + k, new double[] {0.01 * (k + 1), 0.002, 0, 0});
    }
    double markA = ledger.sumA();
    double markB0 = ledger.sumB(0);
    double markBk0 = ledger.sumBk(0);
    double markB1 = ledger.sumB(1);
    double markBk1 = ledger.sumBk(1);
    double expected = 0;
    for (long k = 5; k < 12; k++) {
      double a = 1.0 + k;
      double b0 = 0.01 * (k + 1);
      ledger.addIteration(k, a, new double[] {b0, 0.002, 0, 0});
      expected += a + b0 * (1000 + (k - 5)) + 0.002 * 2048;
    }
    double got = ledger.constantSince(markA) + ledger.slotSince(0, 5, 1000, 1, markB0, markBk0)
        + ledger.slotSince(1, 5, 2048, 0, markB1, markBk1);
    assertThat(got).isCloseTo(expected, within(1e-9));
  }
}
