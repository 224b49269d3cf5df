package dev.tokentherm.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceIntervalTest {
  @Test
  void threeSeedsGiveTheStudentTInterval() {
    // mean 2, s = 1, t(0.975, 2) = 4.3027 (any t table): half-width 4.3027 / sqrt(3) = 2.4841
    ConfidenceInterval ci = ConfidenceInterval.of(new double[] {1, 2, 3});
    assertThat(ci.mean()).isEqualTo(2.0);
    assertThat(ci.halfWidth()).isCloseTo(2.4841, within(1e-4));
    assertThat(ci.n()).isEqualTo(3);
    assertThat(ci.low()).isCloseTo(-0.4841, within(1e-4));
  }

  @Test
  void manySeedsApproachTheNormalInterval() {
    // 1,000 values alternating 0 and 2: mean 1, s = sqrt(1000/999); t -> 1.96
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 2 == 0 ? 0 : 2;
    }
    ConfidenceInterval ci = ConfidenceInterval.of(v);
    assertThat(ci.halfWidth()).isCloseTo(1.9623 * Math.sqrt(1000.0 / 999) / Math.sqrt(1000), within(1e-4));
  }

  @Test
  void oneValueHasNoSpreadAndNaNsAreSkipped() {
    ConfidenceInterval one = ConfidenceInterval.of(new double[] {5, Double.NaN});
    assertThat(one.mean()).isEqualTo(5.0);
    assertThat(one.halfWidth()).isNaN();
    assertThat(one.n()).isEqualTo(1);
    assertThat(ConfidenceInterval.of(new double[0]).mean()).isNaN();
  }

  @Test
  void pairedDifferencesCancelWhatTheSeedsShare() {
    // seed effects 10, 20, 30 cancel; the differences 1, 2, 3 remain
    ConfidenceInterval d = ConfidenceInterval.ofDifferences(new double[] {10, 20, 30}, new double[] {11, 22, 33});
    assertThat(d.mean()).isEqualTo(2.0);
    assertThat(d.halfWidth()).isCloseTo(2.4841, within(1e-4));
    assertThatThrownBy(() -> ConfidenceInterval.ofDifferences(new double[1], new double[2]))
        .hasMessageContaining("1 and 2");
  }
}
