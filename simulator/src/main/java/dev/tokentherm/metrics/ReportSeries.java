package dev.tokentherm.metrics;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * report_series.csv: the time series a report draws, kept at a bounded size in memory while the
 * run samples (every {@code outputs.sample_interval_s}), passing every sample on to the sink it
 * wraps unchanged. Long format, header {@value #HEADER}; one row per point.
 *
 * <p>The bound: each series keeps at most {@value #MAX_POINTS} points. Every point is the mean of
 * the same number of consecutive samples, a power of two (1, 2, 4, …: whenever a series would
 * pass {@value #MAX_POINTS} points, neighbouring pairs merge and the width doubles); the last
 * point may hold fewer. {@code time_s} is the time of a point's last sample, so a rate series
 * integrates exactly: the sum of value × (time_s − the previous point's time_s, 0 before the
 * first) is the count over the sampled time. Series (key):
 *
 * <ul>
 *   <li>throughput_tok_per_s, goodput_tok_per_s (all): output tokens per second over each
 *       interval; goodput counts the output tokens of requests completed within the SLO, at their
 *       completion
 *   <li>running_batch, waiting_requests, kv_occupancy_frac ({@code <deployment>/r<k>}, k the
 *       replica's place in its deployment)
 *   <li>power_w (energy-averaged over the interval), temperature_c (at the sample; absent without
 *       a thermal model) ({@code <deployment>/r<k>/g<j>}, j the GPU's number as in devices.csv;
 *       {@code unused/g<j>} for a GPU no deployment uses)
 *   <li>tier_bytes_held, tier_occupancy_frac, tier_bytes_in_per_s, tier_bytes_out_per_s (the tier:
 *       hbm, dram, nvme, remote; only with cluster.kv_tiers)
 * </ul>
 */
public final class ReportSeries extends ForwardingSampleSink {
  public static final String FILE = "report_series.csv";
  public static final String HEADER = "series,key,time_s,value";
  public static final int MAX_POINTS = 500;

  private final Map<String, Series> series = new LinkedHashMap<>();
  /** Each GPU's key, set by the replica that holds it. */
  private final Map<Integer, String> gpuKeys = new HashMap<>();
  private double lastTokensS;
  private long lastTokens;
  private long lastGood;
  private final Map<String, double[]> lastTier = new HashMap<>();

  /** @param next the sink every sample goes on to (SampleSink.NONE for none) */
  public ReportSeries(SampleSink next) {
    super(next);
  }

  /** One series' points, merged in pairs as it grows (see the class comment). */
  static final class Series {
    final String name;
    final String key;
    final double[] timeS = new double[MAX_POINTS];
    final double[] sum = new double[MAX_POINTS];
    final int[] count = new int[MAX_POINTS];
    int points;
    int width = 1;

    Series(String name, String key) {
      this.name = name;
      this.key = key;
    }

    void add(double t, double value) {
      if (points > 0 && count[points - 1] < width) {
        sum[points - 1] += value;
        count[points - 1]++;
        timeS[points - 1] = t;
        return;
      }
      if (points == MAX_POINTS) {
        for (int i = 0; i < MAX_POINTS / 2; i++) {
          sum[i] = sum[2 * i] + sum[2 * i + 1];
          count[i] = count[2 * i] + count[2 * i + 1];
          timeS[i] = timeS[2 * i + 1];
        }
        points = MAX_POINTS / 2;
        width *= 2;
      }
      timeS[points] = t;
      sum[points] = value;
      count[points] = 1;
      points++;
    }
  }

  private void add(String name, String key, double t, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    series.computeIfAbsent(name + '\n' + key, k -> new Series(name, key)).add(t, value);
  }

  @Override
  public void replica(double timeS, String deployment, int place, int running, int waiting, long kvBlocksUsed,
      long kvBlocks, int[] gpus) throws IOException {
    String key = deployment + "/r" + place;
    add("running_batch", key, timeS, running);
    add("waiting_requests", key, timeS, waiting);
    add("kv_occupancy_frac", key, timeS, kvBlocks > 0 ? (double) kvBlocksUsed / kvBlocks : 0);
    for (int g : gpus) {
      gpuKeys.computeIfAbsent(g, x -> key + "/g" + x);
    }
    super.replica(timeS, deployment, place, running, waiting, kvBlocksUsed, kvBlocks, gpus);
  }

  @Override
  public void device(DeviceSample d) throws IOException {
    String key = gpuKeys.get(d.gpu());
    if (key == null) {
      key = d.deployment() + "/g" + d.gpu();
      gpuKeys.put(d.gpu(), key);
    }
    add("power_w", key, d.timeS(), d.powerW());
    add("temperature_c", key, d.timeS(), d.tempC());
    super.device(d);
  }

  @Override
  public void tier(double timeS, String tier, long capacityBytes, long usedBytes, long hits, long misses,
      long bytesIn, long bytesOut) throws IOException {
    double[] last = lastTier.computeIfAbsent(tier, t -> new double[3]);
    double seconds = timeS - last[0];
    add("tier_bytes_held", tier, timeS, usedBytes);
    add("tier_occupancy_frac", tier, timeS, capacityBytes > 0 ? (double) usedBytes / capacityBytes : 0);
    if (seconds > 0) {
      add("tier_bytes_in_per_s", tier, timeS, (bytesIn - last[1]) / seconds);
      add("tier_bytes_out_per_s", tier, timeS, (bytesOut - last[2]) / seconds);
    }
    last[0] = timeS;
    last[1] = bytesIn;
    last[2] = bytesOut;
    super.tier(timeS, tier, capacityBytes, usedBytes, hits, misses, bytesIn, bytesOut);
  }

  @Override
  public void tokens(double timeS, long outputTokens, long goodOutputTokens) throws IOException {
    double seconds = timeS - lastTokensS;
    if (seconds > 0) {
      add("throughput_tok_per_s", "all", timeS, (outputTokens - lastTokens) / seconds);
      add("goodput_tok_per_s", "all", timeS, (goodOutputTokens - lastGood) / seconds);
    }
    lastTokensS = timeS;
    lastTokens = outputTokens;
    lastGood = goodOutputTokens;
    super.tokens(timeS, outputTokens, goodOutputTokens);
  }

  /** Writes report_series.csv's text: the header, then each series' points in the order first sampled. */
  public void write(Writer out) throws IOException {
    StringBuilder b = new StringBuilder(64);
    out.write(HEADER);
    out.write('\n');
    for (Series s : series.values()) {
      for (int i = 0; i < s.points; i++) {
        b.setLength(0);
        b.append(s.name).append(',').append(s.key).append(',');
        Num.append(b, s.timeS[i]);
        b.append(',');
        Num.append(b, s.sum[i] / s.count[i]);
        b.append('\n');
        out.append(b);
      }
    }
  }

  /** Leaves the wrapped sink open: whoever opened it closes it. */
  @Override
  public void close() {}
}
