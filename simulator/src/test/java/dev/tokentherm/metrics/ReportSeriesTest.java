package dev.tokentherm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** report_series.csv's bound and its means, checked against sums done by hand. */
class ReportSeriesTest {
  /** Rows of one series of the written CSV: {time_s, value}. */
  private static List<double[]> rows(ReportSeries series, String name, String key) throws IOException {
    StringWriter out = new StringWriter();
    series.write(out);
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).isEqualTo(ReportSeries.HEADER);
    List<double[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] c = lines[i].split(",");
      if (c[0].equals(name) && c[1].equals(key)) {
        rows.add(new double[] {Double.parseDouble(c[2]), Double.parseDouble(c[3])});
      }
    }
    return rows;
  }

  @Test
  void aShortRunKeepsEverySample() throws IOException {
    ReportSeries s = new ReportSeries(SampleSink.NONE);
    for (int k = 1; k <= 10; k++) {
      s.replica(k, "chat", 1, k, 0, k, 100, new int[] {5});
    }
    List<double[]> batch = rows(s, "running_batch", "chat/r1");
    assertThat(batch).hasSize(10);
    assertThat(batch.get(3)).containsExactly(4, 4);
    assertThat(rows(s, "kv_occupancy_frac", "chat/r1").get(9)).containsExactly(10, 0.1);
  }

  /**
   * 1234 samples at 1 s: past 500 points the pairs merge (width 2: 617 > 500; width 4: 309 points),
   * each point the mean of 4 samples at the time of its last. With running = k at sample k, point i
   * (samples 4i+1..4i+4) holds (4i+1 + … + 4i+4)/4 = 4i + 2.5 at time 4i + 4; the last point holds
   * samples 1233 and 1234 alone: 1233.5 at 1234.
   */
  @Test
  void aLongRunIsBucketAveragedToAtMost500Points() throws IOException {
    ReportSeries s = new ReportSeries(SampleSink.NONE);
    for (int k = 1; k <= 1234; k++) {
      s.replica(k, "chat", 0, k, 0, 0, 0, new int[0]);
    }
    List<double[]> batch = rows(s, "running_batch", "chat/r0");
    assertThat(batch).hasSize(309);
    assertThat(batch.get(0)).containsExactly(4, 2.5);
    assertThat(batch.get(100)).containsExactly(404, 402.5);
    assertThat(batch.get(308)).containsExactly(1234, 1233.5);
  }

  /**
   * Output tokens k² after sample k (interval 2 s): the rate over interval k is (k² − (k−1)²)/2 =
   * (2k − 1)/2 tok/s. Whatever the merging, Σ value × Δt over the points is every token: 900² at
   * sample 900. Goodput: half the tokens, half the integral.
   */
  @Test
  void ratesIntegrateToTheTokensOverTheSampledTime() throws IOException {
    ReportSeries s = new ReportSeries(SampleSink.NONE);
    for (long k = 1; k <= 900; k++) {
      s.tokens(2.0 * k, k * k * 2, k * k);
    }
    List<double[]> throughput = rows(s, "throughput_tok_per_s", "all");
    assertThat(throughput.size()).isLessThanOrEqualTo(ReportSeries.MAX_POINTS);
    assertThat(throughput.get(0)).containsExactly(4, 2); // samples 1 and 2: rates 1 and 3
    assertThat(integral(throughput)).isEqualTo(900.0 * 900 * 2);
    assertThat(integral(rows(s, "goodput_tok_per_s", "all"))).isEqualTo(900.0 * 900);
  }

  private static double integral(List<double[]> rows) {
    double sum = 0;
    double last = 0;
    for (double[] r : rows) {
      sum += r[1] * (r[0] - last);
      last = r[0];
    }
    return sum;
  }

  @Test
  void gpusAreKeyedByTheirReplicaAndSamplesGoOnUnchanged() throws IOException {
    StringWriter devices = new StringWriter();
    SampleCsvWriter csv = new SampleCsvWriter(null, devices);
    ReportSeries s = new ReportSeries(csv);
    s.replica(1, "chat", 3, 2, 0, 1, 2, new int[] {6, 7});
    s.device(new DeviceSample(1, 6, "chat", 400, 10, 50, 1980, "none", 0.5, 25, 0.3));
    s.device(new DeviceSample(1, 2, "unused", 70, 0, 30, Double.NaN, "none", 0, 25, 0.3));
    s.device(new DeviceSample(1, 7, "chat", 410, 10, Double.NaN, 1980, "none", 0.5, 25, 0.3));
    csv.close();
    assertThat(rows(s, "power_w", "chat/r3/g6")).containsExactly(new double[] {1, 400});
    assertThat(rows(s, "power_w", "unused/g2")).containsExactly(new double[] {1, 70});
    assertThat(rows(s, "temperature_c", "chat/r3/g6")).containsExactly(new double[] {1, 50});
    assertThat(rows(s, "temperature_c", "chat/r3/g7")).isEmpty(); // NaN: no thermal model
    assertThat(devices.toString().split("\n")).hasSize(4); // header + 3 rows passed on
  }
}
