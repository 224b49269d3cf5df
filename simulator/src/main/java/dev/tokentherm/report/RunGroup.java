package dev.tokentherm.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentherm.results.ConfidenceInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs of one scenario with the same --set overrides that differ only in their seed
 * (replications), as a comparison shows them: each summary metric as the mean of the runs with its
 * 95 % t-interval ({@link ConfidenceInterval}), latency distributions as the runs' histograms added.
 *
 * @param key what the runs share: manifest.json's {@code scenario_sha256_without_seed} (the
 *     resolved scenario without its seed), or for a folder written before that key the scenario
 *     file and its --set overrides other than {@code seed=}
 * @param label the scenario's name and its --set overrides other than the seed
 * @param runs the group's runs, in the order given
 */
public record RunGroup(String key, String label, List<Results> runs) {
  static final String SEED_SET = "seed=";

  /** Groups runs by {@link #key}, groups in the order of their first run. */
  public static List<RunGroup> of(List<Results> runs) {
    Map<String, List<Results>> byKey = new LinkedHashMap<>();
    for (Results r : runs) {
      byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    List<RunGroup> groups = new ArrayList<>();
    byKey.forEach((key, members) -> groups.add(new RunGroup(key, label(members.get(0)), List.copyOf(members))));
    return groups;
  }

  static String key(Results r) {
    JsonNode m = r.manifest();
    String hash = m.path("scenario_sha256_without_seed").asText("");
    if (!hash.isEmpty()) {
      return hash;
    }
    return m.path("scenario_file").asText() + " " + String.join(" ", setsWithoutSeed(m));
  }

  private static String label(Results r) {
    List<String> sets = setsWithoutSeed(r.manifest());
    return sets.isEmpty() ? r.name() : r.name() + " " + String.join(" ", sets);
  }

  /** The run's --set overrides, {@code seed=N} left out. */
  static List<String> setsWithoutSeed(JsonNode manifest) {
    List<String> sets = new ArrayList<>();
    for (JsonNode s : manifest.path("sets")) {
      if (!s.asText().startsWith(SEED_SET)) {
        sets.add(s.asText());
      }
    }
    return sets;
  }

  public int n() {
    return runs.size();
  }

  /** The runs' seeds, in the group's order. */
  public long[] seeds() {
    long[] seeds = new long[runs.size()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = runs.get(i).summary().seed();
    }
    return seeds;
  }

  /** The metric of each run, in the group's order. */
  public double[] values(CompareMetric metric) {
    double[] v = new double[runs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = metric.of(runs.get(i).summary());
    }
    return v;
  }

  /** The mean of the runs' metric with its 95 % t-interval. */
  public ConfidenceInterval interval(CompareMetric metric) {
    return ConfidenceInterval.of(values(metric));
  }

  /**
   * The runs' histograms of a deployment ({@link LatencyDistributions#ALL}: the fleet) and metric
   * added into one (its count the sum of theirs); null when no run has one.
   */
  public Histogram merged(String deployment, String metric) {
    Histogram sum = null;
    for (Results r : runs) {
      Histogram h = r.latencies() == null ? null : r.latencies().get(deployment, metric);
      if (h == null) {
        continue;
      }
      if (sum == null) {
        sum = new Histogram(h.getNumberOfSignificantValueDigits()); // auto-resizing: any run's range fits
      }
      sum.add(h);
    }
    return sum;
  }
}
