package dev.tokentherm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

  private static final int DRAWS = 100_000;
  private static final long PINNED_FIRST_DRAW = -6_644_978_378_607_599_634L;

  @Test
  void splitMix64MatchesTheReferenceOutputForStateZero() {
    SplitMix64 random = new SplitMix64(0);

    assertThat(random.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(random.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(random.nextLong()).isEqualTo(0x06C45D188009454FL);
  }

  @Test
  void sameCoordinatesGiveTheSameSequence() {
    assertThat(firstLongs(RandomStreams.stream(42, StreamFamily.CONVERSATION, 7), 50))
        .containsExactly(firstLongs(RandomStreams.stream(42, StreamFamily.CONVERSATION, 7), 50));
  }

  /** Pinned so that a change to the derivation, which would change every result, is deliberate. */
  @Test
  void derivationIsPinned() {
    assertThat(RandomStreams.stream(42, StreamFamily.CONVERSATION, 7).nextLong())
        .isEqualTo(PINNED_FIRST_DRAW);
  }

  @Test
  void aStreamIsUnchangedByCreatingAndDrawingFromOthers() {
    long[] alone = firstLongs(RandomStreams.stream(42, StreamFamily.ARRIVAL, 3), 100);

    SplitMix64 watched = RandomStreams.stream(42, StreamFamily.ARRIVAL, 3);
    long[] interleaved = new long[100];
    for (int i = 0; i < interleaved.length; i++) {
      RandomStreams.stream(42, StreamFamily.ARRIVAL, 4 + i).nextLong();
      RandomStreams.stream(42, StreamFamily.ROUTING, 3).nextDouble();
      interleaved[i] = watched.nextLong();
    }

    assertThat(interleaved).containsExactly(alone);
  }

  @Test
  void differentCoordinatesGiveDifferentSequences() {
    long[] base = firstLongs(RandomStreams.stream(1, StreamFamily.CONVERSATION, 0), 4);

    assertThat(firstLongs(RandomStreams.stream(1, StreamFamily.CONVERSATION, 1), 4))
        .isNotEqualTo(base);
    assertThat(firstLongs(RandomStreams.stream(1, StreamFamily.ARRIVAL, 0), 4))
        .isNotEqualTo(base);
    assertThat(firstLongs(RandomStreams.stream(2, StreamFamily.CONVERSATION, 0), 4))
        .isNotEqualTo(base);
  }

  @Test
  void subIndexedStreamsAreDistinctAndDependOnlyOnTheirCoordinates() {
    // (user u, conversation k) streams: every (u, k) differs from its neighbours and from the
    // three-coordinate stream; drawing from others changes none of them
    Set<Long> firsts = new HashSet<>();
    for (long u = 0; u < 50; u++) {
      for (long k = 0; k < 50; k++) {
        firsts.add(RandomStreams.stream(9, StreamFamily.USER_CONVERSATION, u, k).nextLong());
      }
    }
    assertThat(firsts).hasSize(2500);
    assertThat(firsts).doesNotContain(RandomStreams.stream(9, StreamFamily.USER_CONVERSATION, 0).nextLong());
    assertThat(RandomStreams.stream(9, StreamFamily.USER_PAUSE, 3, 4).nextLong())
        .isNotEqualTo(RandomStreams.stream(9, StreamFamily.USER_CONVERSATION, 3, 4).nextLong());
    assertThat(firstLongs(RandomStreams.stream(9, StreamFamily.USER_PAUSE, 3, 4), 20))
        .containsExactly(firstLongs(RandomStreams.stream(9, StreamFamily.USER_PAUSE, 3, 4), 20));
  }

  @Test
  void neighbouringIndicesAreNotShiftedCopiesOfEachOther() {
    // a naive "state = seed + index" would make stream i+1 equal stream i advanced by one draw
    long[] first = firstLongs(RandomStreams.stream(5, StreamFamily.CONVERSATION, 0), 1_000);
    long[] second = firstLongs(RandomStreams.stream(5, StreamFamily.CONVERSATION, 1), 1_000);
    Set<Long> seen = new HashSet<>();
    for (long value : first) {
      seen.add(value);
    }
    for (long value : second) {
      assertThat(seen).doesNotContain(value);
    }
  }

  @Test
  void nextDoubleIsInTheUnitIntervalAndCentred() {
    SplitMix64 random = RandomStreams.stream(3, StreamFamily.CONVERSATION, 0);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
      double u = random.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      sum += u;
    }
    assertThat(sum / DRAWS).isCloseTo(0.5, within(0.005));
  }

  @Test
  void nextDoubleOpenExcludesBothEnds() {
    SplitMix64 random = RandomStreams.stream(4, StreamFamily.CONVERSATION, 0);
    for (int i = 0; i < DRAWS; i++) {
      assertThat(random.nextDoubleOpen()).isGreaterThan(0.0).isLessThan(1.0);
    }
  }

  /** The extreme raw draws (all zeros, all ones), reached by inverting the finaliser. */
  @Test
  void extremeDrawsStayInsideTheirIntervals() {
    assertThat(new SplitMix64(stateProducing(0L)).nextLong()).isZero();
    assertThat(new SplitMix64(stateProducing(-1L)).nextLong()).isEqualTo(-1L);

    assertThat(new SplitMix64(stateProducing(0L)).nextDouble()).isZero();
    assertThat(new SplitMix64(stateProducing(-1L)).nextDouble()).isEqualTo(1.0 - 0x1.0p-53);
    SplitMix64 zeroFirst = new SplitMix64(stateProducing(0L));
    SplitMix64 sameStreamSkippingZero = new SplitMix64(stateProducing(0L));
    sameStreamSkippingZero.nextLong();
    assertThat(zeroFirst.nextDoubleOpen())
        .isEqualTo(sameStreamSkippingZero.nextDouble())
        .isPositive();
    assertThat(new SplitMix64(stateProducing(-1L)).nextDoubleOpen()).isEqualTo(1.0 - 0x1.0p-53);
  }

  /**
   * bound = 3 * 2^29 does not divide 2^32, so a biased method shows: "draw mod bound" puts 3/4 of
   * the draws below 2^30 instead of 2/3; multiply-shift without rejection gives the values
   * v = 2 (mod 3) 2 of every 8 draws instead of 1 in 3.
   */
  @Test
  void nextIntHasNoBiasForLargeBounds() {
    SplitMix64 random = RandomStreams.stream(6, StreamFamily.ROUTING, 0);
    int bound = 3 << 29;
    int below = 0;
    int twoModThree = 0;
    for (int i = 0; i < 10_000; i++) {
      int value = random.nextInt(bound);
      assertThat(value).isBetween(0, bound - 1);
      if (value < 1 << 30) {
        below++;
      }
      if (value % 3 == 2) {
        twoModThree++;
      }
    }
    assertThat(below).isBetween(6_430, 6_900);
    assertThat(twoModThree).isBetween(3_100, 3_570);
  }

  @Test
  void nextIntRejectsNonPositiveBounds() {
    SplitMix64 random = RandomStreams.stream(6, StreamFamily.ROUTING, 1);
    assertThat(random.nextInt(1)).isZero();
    assertThatThrownBy(() -> random.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> random.nextInt(-3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nextGaussianHasUnitVarianceAroundZero() {
    SplitMix64 random = RandomStreams.stream(7, StreamFamily.HARDWARE, 0);
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      double z = random.nextGaussian();
      sum += z;
      sumSquares += z * z;
    }
    double mean = sum / DRAWS;
    assertThat(mean).isCloseTo(0.0, within(0.015));
    assertThat(sumSquares / DRAWS - mean * mean).isCloseTo(1.0, within(0.02));
  }

  private static long[] firstLongs(SplitMix64 random, int count) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = random.nextLong();
    }
    return values;
  }

  /** The state whose next draw is {@code output}: SplitMix64's finaliser is a bijection. */
  private static long stateProducing(long output) {
    long z = output;
    z = z ^ (z >>> 31) ^ (z >>> 62);
    z *= inverseOf(0x94D0_49BB_1331_11EBL);
    z = z ^ (z >>> 27) ^ (z >>> 54);
    z *= inverseOf(0xBF58_476D_1CE4_E5B9L);
    z = z ^ (z >>> 30) ^ (z >>> 60);
    return z - SplitMix64.GOLDEN_GAMMA;
  }

  /** Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
  private static long inverseOf(long odd) {
    long x = odd;
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }
}
