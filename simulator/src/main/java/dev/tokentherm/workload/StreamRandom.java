package dev.tokentherm.workload;

import dev.tokentherm.engine.SplitMix64;
import org.apache.commons.math3.random.AbstractRandomGenerator;

/** Lets Commons Math distributions draw from one of the engine's numbered random streams. */
final class StreamRandom extends AbstractRandomGenerator {
  private final SplitMix64 stream;

  StreamRandom(SplitMix64 stream) {
    this.stream = stream;
  }

  @Override
  public void setSeed(long seed) {
    throw new UnsupportedOperationException("streams are seeded from (seed, family, index) only");
  }

  @Override
  public double nextDouble() {
    return stream.nextDouble();
  }

  @Override
  public long nextLong() {
    return stream.nextLong();
  }

  @Override
  public double nextGaussian() {
    return stream.nextGaussian();
  }
}
