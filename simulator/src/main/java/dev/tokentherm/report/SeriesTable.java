package dev.tokentherm.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report_series.csv read back (metrics.ReportSeries writes it; header {@value #HEADER}): each
 * series' points by key, in the file's order.
 */
public final class SeriesTable {
  public static final String FILE = "report_series.csv";
  public static final String HEADER = "series,key,time_s,value";

  /** One series of one key: times, s, and values. */
  public record Series(String name, String key, double[] timeS, double[] value) {}

  private final Map<String, Map<String, Series>> byName;

  private SeriesTable(Map<String, Map<String, Series>> byName) {
    this.byName = byName;
  }

  /** @throws IOException when the file cannot be read or a row is not {@value #HEADER} */
  public static SeriesTable read(Path file) throws IOException {
    Map<String, Map<String, List<double[]>>> rows = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (!HEADER.equals(header)) {
        throw new IOException(file + ": line 1: expected the header " + HEADER);
      }
      String line;
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        String[] cells = line.split(",", -1);
        if (cells.length != 4) {
          throw new IOException(file + ": line " + n + ": expected 4 cells (" + HEADER + ")");
        }
        try {
          rows.computeIfAbsent(cells[0], k -> new LinkedHashMap<>()).computeIfAbsent(cells[1], k -> new ArrayList<>())
              .add(new double[] {Double.parseDouble(cells[2]), Double.parseDouble(cells[3])});
        } catch (NumberFormatException e) {
          throw new IOException(file + ": line " + n + ": time_s and value must be numbers", e);
        }
      }
    }
    Map<String, Map<String, Series>> byName = new LinkedHashMap<>();
    rows.forEach((name, keys) -> {
      Map<String, Series> series = new LinkedHashMap<>();
      keys.forEach((key, points) -> {
        double[] t = new double[points.size()];
        double[] v = new double[points.size()];
        for (int i = 0; i < t.length; i++) {
          t[i] = points.get(i)[0];
          v[i] = points.get(i)[1];
        }
        series.put(key, new Series(name, key, t, v));
      });
      byName.put(name, series);
    });
    return new SeriesTable(byName);
  }

  /** Every key's series of {@code name}, in the file's order (empty when absent). */
  public List<Series> series(String name) {
    return new ArrayList<>(byName.getOrDefault(name, Map.of()).values());
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /**
   * The integral of a rate series over the sampled time: Σ value × (time_s − the previous point's
   * time_s, 0 before the first); for throughput_tok_per_s the output tokens sampled.
   */
  public static double integral(Series s) {
    double sum = 0;
    double last = 0;
    for (int i = 0; i < s.timeS().length; i++) {
      sum += s.value()[i] * (s.timeS()[i] - last);
      last = s.timeS()[i];
    }
    return sum;
  }
}
