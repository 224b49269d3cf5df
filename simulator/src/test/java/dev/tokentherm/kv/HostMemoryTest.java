package dev.tokentherm.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostMemoryTest {
  @Test
  void reservesOnlyWhatFitsBesideWhatIsHeld() {
    HostMemory m = new HostMemory(100);
    assertThat(m.reserve(60)).isTrue();
    assertThat(m.reserve(50)).isFalse(); // 60 + 50 > 100: nothing reserved, the swap recomputes
    assertThat(m.usedBytes()).isEqualTo(60);
    assertThat(m.reserve(40)).isTrue();
    m.release(60);
    assertThat(m.usedBytes()).isEqualTo(40);
    assertThat(m.peakBytes()).isEqualTo(100);
    assertThatThrownBy(() -> m.release(41)).isInstanceOf(IllegalStateException.class);
  }
}
