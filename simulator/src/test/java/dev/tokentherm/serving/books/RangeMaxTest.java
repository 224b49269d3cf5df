package dev.tokentherm.serving.books;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RangeMaxTest {
  @Test
  void maxOverASuffixOfIterations() {
    RangeMax m = new RangeMax();
    m.push(0, 5);
    m.push(1, 9);
    m.push(2, 3);
    m.push(3, 4);
    assertThat(m.maxFrom(0)).isEqualTo(9);
    assertThat(m.maxFrom(2)).isEqualTo(4);
    assertThat(m.maxFrom(3)).isEqualTo(4);
    assertThat(m.maxFrom(4)).isEqualTo(-1);
  }

  @Property(tries = 200)
  void agreesWithAScanOfTheValues(@ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 50) Integer> values,
      @ForAll @IntRange(min = 0, max = 199) int from) {
    RangeMax m = new RangeMax();
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      m.push(i, values.get(i));
      seen.add((long) values.get(i));
      long expected = -1;
      for (int k = from; k < seen.size(); k++) {
        expected = Math.max(expected, seen.get(k));
      }
      assertThat(m.maxFrom(from)).isEqualTo(expected);
    }
  }
}
