package dev.tokentherm.sim;

import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.net.Network;
import java.io.IOException;

/**
 * links.csv's rows at each sample: per link of the run's network, the bytes it moved over the
 * interval and its utilisation, those bytes over capacity × interval (empty for a link no profile
 * bounds).
 */
final class LinkSampler {
  private final Network network;
  private final SampleSink sink;
  private final double intervalS;
  /** Each link's bytes at the previous sample. */
  private final double[] lastBytes;

  LinkSampler(Network network, SampleSink sink, long intervalNs) {
    this.network = network;
    this.sink = sink;
    this.intervalS = intervalNs * 1e-9;
    this.lastBytes = new double[network.linkCount()];
  }

  void sample(long now) throws IOException {
    for (int l = 0; l < lastBytes.length; l++) {
      double bytes = network.carriedBytes(l, now);
      double moved = bytes - lastBytes[l];
      lastBytes[l] = bytes;
      double capacity = network.capacityBytesPerS(l);
      sink.link(now * 1e-9, network.linkClass(l), network.linkName(l),
          capacity == Double.POSITIVE_INFINITY ? Double.NaN : moved / (capacity * intervalS), moved);
    }
  }
}
