package dev.tokentherm.experiment;

/**
 * Replication seeds: replication {@code r} of a treatment whose scenario seed is {@code base} runs
 * with seed {@code (base + r · 0x9E3779B97F4A7C15) mod 2^63}, and replication 0 with {@code base}
 * itself (the same number for any base ≥ 0). The constant is odd (2^64 / golden ratio, SplitMix64's
 * increment), so the seeds of r = 0, 1, 2, … are distinct and spread over the whole range; every
 * stream of a run is then derived from its seed by engine.RandomStreams. Treatments that share a
 * base seed share the seeds of every replication: common random numbers, compared by paired
 * differences.
 */
public final class Replications {
  /** The odd increment between replication seeds. */
  public static final long STEP = 0x9E3779B97F4A7C15L;

  private Replications() {}

  /** The seed of replication {@code index} (0, 1, …) of a treatment with seed {@code base}. */
  public static long seed(long base, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("replication index " + index + " is negative");
    }
    if (index == 0) {
      return base;
    }
    return (base + index * STEP) & Long.MAX_VALUE; // two's-complement wrap is mod 2^64; the mask takes mod 2^63
  }
}
