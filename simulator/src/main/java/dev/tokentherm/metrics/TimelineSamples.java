package dev.tokentherm.metrics;

import java.io.IOException;

/** The sample rows unchanged, each GPU's power and temperature also to a timeline ({@link TimelineSink#alongside}). */
final class TimelineSamples implements SampleSink {
  private final SampleSink rows;
  private final TimelineSink timeline;

  TimelineSamples(SampleSink rows, TimelineSink timeline) {
    this.rows = rows;
    this.timeline = timeline;
  }

  @Override
  public void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks)
      throws IOException {
    rows.sample(timeS, deployment, running, waiting, kvBlocksUsed, kvBlocks);
  }

  @Override
  public void device(DeviceSample d) throws IOException {
    rows.device(d);
    timeline.device(d.gpu(), d.powerW(), d.tempC());
  }

  @Override
  public void link(double timeS, String linkClass, String link, double utilizationFrac, double bytes)
      throws IOException {
    rows.link(timeS, linkClass, link, utilizationFrac, bytes);
  }

  @Override
  public void tier(double timeS, String tier, long capacityBytes, long usedBytes, long hits, long misses,
      long bytesIn, long bytesOut) throws IOException {
    rows.tier(timeS, tier, capacityBytes, usedBytes, hits, misses, bytesIn, bytesOut);
  }

  @Override
  public void close() throws IOException {
    rows.close();
  }
}
