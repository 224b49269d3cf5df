package dev.tokentherm.engine;

/**
 * Steele, Lea and Flood's SplitMix64: a 64-bit counter advanced by the golden gamma, finalised by
 * Stafford's "mix13". Small, fast, and its output depends on nothing but its state, so results are
 * the same on every machine. Not thread-safe; each stream belongs to one owner.
 */
public final class SplitMix64 {
  static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final double TWO_PI = 2 * StrictMath.PI;

  private long state;

  public SplitMix64(long state) {
    this.state = state;
  }

  /** The SplitMix64 finaliser: a bijection on 64 bits with good avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /** Uniform in [0, 1), a multiple of 2^-53. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /**
   * Uniform in (0, 1), safe for {@code log}: a {@link #nextDouble()} draw, redrawn in the (2^-53
   * likely) case that it is exactly 0.
   */
  public double nextDoubleOpen() {
    double u;
    do {
      u = nextDouble();
    } while (u == 0);
    return u;
  }

  /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, was " + bound);
    }
    long product = (nextLong() >>> 32) * bound;
    long low = product & 0xFFFF_FFFFL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound; // 2^32 mod bound: the biased remainder
      while (low < threshold) {
        product = (nextLong() >>> 32) * bound;
        low = product & 0xFFFF_FFFFL;
      }
    }
    return (int) (product >>> 32);
  }

  /**
   * Standard normal by Box–Muller, one value per call (two draws, no cached spare, so the
   * stream's position is always a plain count of draws). {@code StrictMath} keeps it
   * bit-identical everywhere.
   */
  public double nextGaussian() {
    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(nextDoubleOpen()));
    return radius * StrictMath.cos(TWO_PI * nextDouble());
  }
}
