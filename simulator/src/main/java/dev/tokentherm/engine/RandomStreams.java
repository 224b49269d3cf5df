package dev.tokentherm.engine;

/**
 * Independent random streams named by numbers, never by string hashes: (seed, family, index) is
 * mixed into the starting state of a {@link SplitMix64}. Each stream depends only on its own
 * coordinates, so creating, adding or removing other streams changes none of its draws (common
 * random numbers across runs that differ only in policy).
 */
public final class RandomStreams {
  private RandomStreams() {}

  public static SplitMix64 stream(long seed, int family, long index) {
    return new SplitMix64(startState(seed, family, index));
  }

  /**
   * A stream with a fourth coordinate: the {@code subIndex}-th of stream (seed, family, index), e.g.
   * a closed-loop user's k-th conversation. One more chained step past {@link #startState}: for a
   * fixed (seed, family, index), distinct sub-indices give distinct states, and a stream depends on
   * nothing but its four coordinates.
   */
  public static SplitMix64 stream(long seed, int family, long index, long subIndex) {
    long state = SplitMix64.mix64(startState(seed, family, index) + SplitMix64.GOLDEN_GAMMA) ^ subIndex;
    return new SplitMix64(SplitMix64.mix64(state + SplitMix64.GOLDEN_GAMMA));
  }

  /**
   * Three chained SplitMix64 steps: the seed's first draw, salted with the family, seeds a second
   * draw, salted with the index, which seeds the stream's state. Each step is a bijection of its
   * input, so for a fixed seed distinct families give distinct states, and for a fixed (seed,
   * family) distinct indices do too; the finaliser decorrelates neighbouring indices. (The same
   * derivation as the first engine stub, so swapping engines changes no result.)
   */
  static long startState(long seed, int family, long index) {
    long familyState = SplitMix64.mix64(seed + SplitMix64.GOLDEN_GAMMA)
        ^ (family * SplitMix64.GOLDEN_GAMMA);
    long indexState = SplitMix64.mix64(familyState + SplitMix64.GOLDEN_GAMMA) ^ index;
    return SplitMix64.mix64(indexState + SplitMix64.GOLDEN_GAMMA);
  }
}
