package dev.tokentherm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class NumTest {
  @Test
  void tenSignificantDigitsPlainAndStripped() {
    assertThat(Num.text(0)).isEqualTo("0");
    assertThat(Num.text(1.5)).isEqualTo("1.5");
    assertThat(Num.text(-2.25)).isEqualTo("-2.25");
    assertThat(Num.text(45.756088)).isEqualTo("45.756088");
    assertThat(Num.text(1.0 / 3)).isEqualTo("0.3333333333");
    assertThat(Num.text(2.0 / 3 * 1e6)).isEqualTo("666666.6667");
    assertThat(Num.text(9.99999999999)).isEqualTo("10");
    assertThat(Num.text(123456789012.0)).isEqualTo("123456789000");
    assertThat(Num.text(0.000012345678912)).isEqualTo("0.00001234567891");
    assertThat(Num.text(Double.NaN)).isEmpty();
  }

  @Property(tries = 2000)
  void agreesWithBigDecimalToTheTenthDigit(@ForAll @DoubleRange(min = 0.001, max = 1e14) @net.jqwik.api.constraints.Scale(6) double x) {
    // the fast path rounds in binary; it may differ from exact decimal rounding by one unit in the
    // tenth significant digit, never more
    BigDecimal fast = new BigDecimal(Num.text(x));
    BigDecimal exact = Num.of(x);
    BigDecimal ulp = exact.ulp().max(fast.ulp());
    assertThat(fast.subtract(exact).abs()).isLessThanOrEqualTo(ulp);
  }
}
