package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The slo-tpot controller on hand-fed observations (H100 grid: 1,980 MHz down in 15 MHz steps to 210). */
class SloTpotPolicyTest {
  private static final long S = 1_000_000_000L;

  private static SloTpotPolicy policy(double targetS) {
    SloTpotPolicy p = new SloTpotPolicy();
    p.configure(new ClockPolicy.Control(1980, 210, 15, targetS, 1.0));
    return p;
  }

  @Test
  void picksTheLowestGridClockWhoseWorstCaseGapMeetsTheTarget() {
    SloTpotPolicy p = policy(0.020 * 0.8); // slo.tpot_ms 20 × margin 0.8 = 16 ms
    assertThat(p.requestAt(0, 1980)).isEqualTo(1980); // first iteration: the interval starts
    for (int i = 1; i <= 5; i++) {
      p.decodeStepEnded(i * 10_000_000L, 0.010, 1980);
    }
    assertThat(p.requestAt(S / 2, 1980)).as("acts only at its interval").isEqualTo(1980);
    // 10 ms × 1980 / f ≤ 16 ms ⇔ f ≥ 1237.5 MHz; grid 1980 − 15 j: j = 49 → 1245 (1230 gives 16.1 ms)
    assertThat(p.requestAt(S, 1980)).isEqualTo(1245);
    // memory-bound: 10.5 ms at 1245 MHz → f ≥ 10.5 × 1245 / 16 = 817.0 MHz; j = 77 → 825
    p.decodeStepEnded(S + 10_500_000L, 0.0105, 1245);
    assertThat(p.requestAt(S + S / 2, 1245)).isEqualTo(1245);
    assertThat(p.requestAt(2 * S, 1245)).isEqualTo(825);
    // an interval with no decode step keeps the clock
    assertThat(p.requestAt(3 * S, 825)).isEqualTo(825);
  }

  @Test
  void neverAboveMaxNorBelowMin() {
    SloTpotPolicy p = policy(0.005);
    p.requestAt(0, 1980);
    p.decodeStepEnded(1, 0.010, 1980); // needs 3,960 MHz
    assertThat(p.requestAt(S, 1980)).isEqualTo(1980);
    p.decodeStepEnded(S + 1, 0.0001, 1980); // needs 39.6 MHz
    assertThat(p.requestAt(2 * S, 1980)).isEqualTo(210);
  }

  @Test
  void aLongPauseMovesTheNextDecisionOnByWholeIntervals() {
    SloTpotPolicy p = policy(0.016);
    p.requestAt(0, 1980);
    p.decodeStepEnded(1, 0.010, 1980);
    assertThat(p.requestAt(10 * S + S / 2, 1980)).isEqualTo(1245); // decided at 10.5 s
    p.decodeStepEnded(10 * S + S / 2 + 1, 0.010, 1980);
    assertThat(p.requestAt(10 * S + S * 9 / 10, 1245)).as("next decision at 11 s").isEqualTo(1245);
    assertThat(p.requestAt(11 * S, 1245)).isEqualTo(1245); // 10 ms at 1980 again: 1245
  }
}
