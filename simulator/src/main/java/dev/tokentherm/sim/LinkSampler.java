package dev.tokentherm.sim;

import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.net.Network;
import dev.tokentherm.results.Summary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * links.csv's rows at each sample: per link of the run's network, the bytes it moved over the
 * interval and its utilisation, those bytes over capacity × interval (empty for a link no profile
 * bounds). And per link class (host-link, dram, nvme-read, nvme-write, nic, pool, fabric) the
 * figures of summary.json's {@code links} block ({@link #classes}): bytes moved, mean and peak
 * utilisation, where a class's utilisation is the bytes of its bounded links over their summed
 * capacity × the time (a link no profile bounds counts in the bytes only).
 */
final class LinkSampler {
  private final Network network;
  /** links.csv, or null: the class figures only. */
  private final SampleSink sink;
  private final double intervalS;
  /** Each link's bytes at the previous sample. */
  private final double[] lastBytes;
  /** Each link's class, an index into the class arrays (classes in the order their first link was added). */
  private final int[] classOf;
  private final List<String> classes = new ArrayList<>();
  private final double[] classCapacity;
  private final int[] classLinks;
  private final double[] classPeak;
  private final double[] linkPeak;
  private final double[] intervalBytes;

  LinkSampler(Network network, SampleSink sink, long intervalNs) {
    this.network = network;
    this.sink = sink;
    this.intervalS = intervalNs * 1e-9;
    int links = network.linkCount();
    this.lastBytes = new double[links];
    this.classOf = new int[links];
    for (int l = 0; l < links; l++) {
      int c = classes.indexOf(network.linkClass(l));
      if (c < 0) {
        c = classes.size();
        classes.add(network.linkClass(l));
      }
      classOf[l] = c;
    }
    int n = classes.size();
    classCapacity = new double[n];
    classLinks = new int[n];
    classPeak = new double[n];
    linkPeak = new double[n];
    intervalBytes = new double[n];
    for (int l = 0; l < links; l++) {
      classLinks[classOf[l]]++;
      if (bounded(l)) {
        classCapacity[classOf[l]] += network.capacityBytesPerS(l);
      }
    }
  }

  private boolean bounded(int l) {
    return network.capacityBytesPerS(l) != Double.POSITIVE_INFINITY;
  }

  void sample(long now) throws IOException {
    java.util.Arrays.fill(intervalBytes, 0);
    for (int l = 0; l < lastBytes.length; l++) {
      double bytes = network.carriedBytes(l, now);
      double moved = bytes - lastBytes[l];
      lastBytes[l] = bytes;
      double capacity = network.capacityBytesPerS(l);
      double utilization = bounded(l) ? moved / (capacity * intervalS) : Double.NaN;
      if (bounded(l)) {
        intervalBytes[classOf[l]] += moved;
        linkPeak[classOf[l]] = Math.max(linkPeak[classOf[l]], utilization);
      }
      if (sink != null) {
        sink.link(now * 1e-9, network.linkClass(l), network.linkName(l), utilization, moved);
      }
    }
    for (int c = 0; c < intervalBytes.length; c++) {
      if (classCapacity[c] > 0) {
        classPeak[c] = Math.max(classPeak[c], intervalBytes[c] / (classCapacity[c] * intervalS));
      }
    }
  }

  /**
   * Per class, whole run to {@code endNs}: its links, their summed capacity (NaN: none bounded),
   * the bytes all of them moved, the mean utilisation (its bounded links' bytes over their capacity
   * × the run's seconds), the peak over the sample intervals of the same ratio, and the highest any
   * one of its links reached in an interval (NaN: none bounded).
   */
  List<Summary.LinkClass> classes(long endNs) {
    int n = classes.size();
    double[] bytes = new double[n];
    double[] boundedBytes = new double[n];
    for (int l = 0; l < lastBytes.length; l++) {
      double b = network.carriedBytes(l, endNs);
      bytes[classOf[l]] += b;
      if (bounded(l)) {
        boundedBytes[classOf[l]] += b;
      }
    }
    List<Summary.LinkClass> out = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      boolean any = classCapacity[c] > 0;
      out.add(new Summary.LinkClass(classes.get(c), classLinks[c], any ? classCapacity[c] : Double.NaN, bytes[c],
          any && endNs > 0 ? boundedBytes[c] / (classCapacity[c] * endNs * 1e-9) : Double.NaN,
          any ? classPeak[c] : Double.NaN, any ? linkPeak[c] : Double.NaN));
    }
    return List.copyOf(out);
  }
}
