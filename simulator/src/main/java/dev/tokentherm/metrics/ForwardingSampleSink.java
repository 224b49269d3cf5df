package dev.tokentherm.metrics;

import java.io.IOException;

/**
 * A sample sink that passes every call on to the sink it wraps; a decorator overrides what it adds
 * and calls super. Every method of {@link SampleSink} is forwarded here, once, so a decorator that
 * wraps another decorator never drops a kind of sample it does not itself use.
 */
abstract class ForwardingSampleSink implements SampleSink {
  private final SampleSink next;

  ForwardingSampleSink(SampleSink next) {
    this.next = next;
  }

  @Override
  public void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks)
      throws IOException {
    next.sample(timeS, deployment, running, waiting, kvBlocksUsed, kvBlocks);
  }

  @Override
  public void device(DeviceSample d) throws IOException {
    next.device(d);
  }

  @Override
  public void link(double timeS, String linkClass, String link, double utilizationFrac, double bytes)
      throws IOException {
    next.link(timeS, linkClass, link, utilizationFrac, bytes);
  }

  @Override
  public void tier(double timeS, String tier, long capacityBytes, long usedBytes, long hits, long misses,
      long bytesIn, long bytesOut) throws IOException {
    next.tier(timeS, tier, capacityBytes, usedBytes, hits, misses, bytesIn, bytesOut);
  }

  @Override
  public void replica(double timeS, String deployment, int place, int running, int waiting, long kvBlocksUsed,
      long kvBlocks, int[] gpus) throws IOException {
    next.replica(timeS, deployment, place, running, waiting, kvBlocksUsed, kvBlocks, gpus);
  }

  @Override
  public void tokens(double timeS, long outputTokens, long goodOutputTokens) throws IOException {
    next.tokens(timeS, outputTokens, goodOutputTokens);
  }

  /** Closes the wrapped sink. */
  @Override
  public void close() throws IOException {
    next.close();
  }
}
