package dev.tokentherm.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * latencies.hlog read back: one HdrHistogram per tag {@code <deployment>/<metric>} ({@code all}
 * for the fleet), values in ns. Histograms of several runs (seeds) merge with {@link Histogram#add}.
 */
public final class LatencyDistributions {
  public static final String FILE = "latencies.hlog";
  public static final String ALL = "all";
  /**
   * The percentiles a CDF is drawn at: 0, 1, …, 99, then 99.5, 99.9, 99.95, 99.99 and 100 (so p50,
   * p90 and p99 are points of it, as summary.json reads them).
   */
  public static final double[] CDF_PERCENTILES = cdfPercentiles();

  private final Map<String, Histogram> byTag;

  private LatencyDistributions(Map<String, Histogram> byTag) {
    this.byTag = byTag;
  }

  /** @throws IOException when the file is not a histogram log */
  public static LatencyDistributions read(Path file) throws IOException {
    Map<String, Histogram> byTag = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(file)) {
      HistogramLogReader reader = new HistogramLogReader(in);
      EncodableHistogram h;
      while ((h = next(reader, file)) != null) {
        if (h instanceof Histogram histogram && h.getTag() != null) {
          byTag.put(h.getTag(), histogram);
        }
      }
    }
    return new LatencyDistributions(byTag);
  }

  private static EncodableHistogram next(HistogramLogReader reader, Path file) throws IOException {
    try {
      return reader.nextIntervalHistogram();
    } catch (RuntimeException e) {
      throw new IOException(file + ": not an HdrHistogram log (" + e.getMessage() + ")", e);
    }
  }

  public List<String> tags() {
    return new ArrayList<>(byTag.keySet());
  }

  /** The histogram of a deployment ({@link #ALL}: the fleet) and metric, or null when the log has none. */
  public Histogram get(String deployment, String metric) {
    return byTag.get(deployment + "/" + metric);
  }

  /**
   * The CDF of a histogram in ms: x[i] the value at {@link #CDF_PERCENTILES}[i] (HdrHistogram's
   * highest equivalent value, as summary.json's percentiles), y[i] that percentile as a fraction.
   * Empty arrays for an empty histogram.
   */
  public static double[][] cdfMs(Histogram h) {
    if (h == null || h.getTotalCount() == 0) {
      return new double[][] {{}, {}};
    }
    double[] x = new double[CDF_PERCENTILES.length];
    double[] y = new double[CDF_PERCENTILES.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = h.getValueAtPercentile(CDF_PERCENTILES[i]) / 1e6;
      y[i] = CDF_PERCENTILES[i] / 100;
    }
    return new double[][] {x, y};
  }

  private static double[] cdfPercentiles() {
    double[] tail = {99.5, 99.9, 99.95, 99.99, 100};
    double[] p = new double[100 + tail.length];
    for (int i = 0; i < 100; i++) {
      p[i] = i;
    }
    System.arraycopy(tail, 0, p, 100, tail.length);
    return p;
  }
}
