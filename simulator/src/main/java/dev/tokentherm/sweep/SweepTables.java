package dev.tokentherm.sweep;

import dev.tokentherm.experiment.ExperimentResult;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.results.ConfidenceInterval;
import dev.tokentherm.results.Decimals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sweep's CSV tables, built from the runs' summary.json cells (experiment.SummaryCells) and
 * nothing else, so the same runs give the same bytes however they were scheduled, resumed or
 * sharded. Column order: the fixed columns, the axes ({@code set:PATH}) in file order, then every
 * summary metric in the order it first appears (run by run in point order, each summary in its key
 * order). Decimals computed here (means, intervals) have 10 significant digits (results.Decimals);
 * an empty cell is a metric the run does not have.
 */
public final class SweepTables {
  public static final String RUNS_CSV = "sweep.csv";
  public static final String SUMMARY_CSV = "sweep_summary.csv";
  public static final String PAIRED_CSV = "sweep_paired.csv";

  private final SweepIndex.Header header;
  private final ExperimentResult result;
  private final List<RunRecord> records;
  private final List<String> metrics;

  public SweepTables(SweepIndex.Header header, ExperimentResult result) {
    this.header = header;
    this.result = result;
    this.records = new ArrayList<>(result.records());
    records.sort(Comparator.comparingInt((RunRecord r) -> r.run().treatment())
        .thenComparingInt(r -> r.run().replication()));
    this.metrics = new ExperimentResult(result.experiment(), records).metrics();
  }

  /** Every summary metric, in column order. */
  public List<String> metrics() {
    return metrics;
  }

  /**
   * sweep.csv: one row per run (point, replication): {@code point, replication, seed, run_hash,
   * status, set:AXIS…, METRIC…}.
   */
  public String runs() {
    StringBuilder out = new StringBuilder();
    List<String> head = new ArrayList<>(List.of("point", "replication", "seed", "run_hash", "status"));
    head.addAll(axisColumns());
    head.addAll(metrics);
    row(out, head);
    for (RunRecord r : records) {
      List<String> cells = new ArrayList<>();
      cells.add(String.valueOf(r.run().treatment()));
      cells.add(String.valueOf(r.run().replication()));
      cells.add(String.valueOf(r.run().seed()));
      cells.add(r.runHash() == null ? "" : r.runHash());
      cells.add(r.status());
      cells.addAll(header.points().get(r.run().treatment()));
      for (String m : metrics) {
        cells.add(r.cells().getOrDefault(m, ""));
      }
      row(out, cells);
    }
    return out.toString();
  }

  /**
   * sweep_summary.csv: one row per point: {@code point, set:AXIS…, runs, status} (the runs' statuses,
   * e.g. {@code ok} or {@code ok 2; unstable 1}), then per metric {@code METRIC.mean} and
   * {@code METRIC.ci95}, the half-width of the 95 % t-interval over the replications
   * (results.ConfidenceInterval; empty with one value).
   */
  public String summary() {
    StringBuilder out = new StringBuilder();
    List<String> head = new ArrayList<>(List.of("point"));
    head.addAll(axisColumns());
    head.add("runs");
    head.add("status");
    for (String m : metrics) {
      head.add(m + ".mean");
      head.add(m + ".ci95");
    }
    row(out, head);
    for (int p = 0; p < header.points().size(); p++) {
      List<String> cells = new ArrayList<>();
      cells.add(String.valueOf(p));
      cells.addAll(header.points().get(p));
      cells.add(String.valueOf(runsOf(p)));
      cells.add(statusOf(p));
      for (String m : metrics) {
        ConfidenceInterval ci = result.interval(p, m);
        cells.add(decimal(ci.mean()));
        cells.add(decimal(ci.halfWidth()));
      }
      row(out, cells);
    }
    return out.toString();
  }

  /**
   * sweep_paired.csv: each point against point 0 on each {@code compare} metric, over the
   * replications that share a seed: {@code point, baseline, metric, n, mean_difference, ci95, low,
   * high} (difference = point − baseline).
   */
  public String paired() {
    StringBuilder out = new StringBuilder();
    row(out, List.of("point", "baseline", "metric", "n", "mean_difference", "ci95", "low", "high"));
    for (int p = 1; p < header.points().size(); p++) {
      for (String m : header.compare()) {
        ConfidenceInterval d = result.paired(0, p, m);
        row(out, List.of(String.valueOf(p), "0", m, String.valueOf(d.n()), decimal(d.mean()),
            decimal(d.halfWidth()), decimal(d.low()), decimal(d.high())));
      }
    }
    return out.toString();
  }

  /** The runs of point p that have a record (this shard's, or all). */
  int runsOf(int point) {
    int n = 0;
    for (int r = 0; r < header.replications(); r++) {
      n += result.record(point, r) != null ? 1 : 0;
    }
    return n;
  }

  /** "ok", or each status with its count: "ok 2; unstable 1". */
  String statusOf(int point) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int r = 0; r < header.replications(); r++) {
      RunRecord record = result.record(point, r);
      if (record != null) {
        counts.merge(record.status(), 1, Integer::sum);
      }
    }
    if (counts.size() == 1) {
      return counts.keySet().iterator().next();
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((s, n) -> parts.add(s + " " + n));
    return String.join("; ", parts);
  }

  private List<String> axisColumns() {
    List<String> columns = new ArrayList<>();
    for (String a : header.axes()) {
      columns.add("set:" + a);
    }
    return columns;
  }

  /** A computed number with 10 significant digits, "" for NaN. */
  static String decimal(double x) {
    var d = Decimals.of(x);
    return d == null ? "" : d.toPlainString();
  }

  /** Appends one CSV row (RFC 4180: cells with , " or line ends quoted, quotes doubled; "\n" ends). */
  static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String c = cells.get(i);
      if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
        out.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        out.append(c);
      }
    }
    out.append('\n');
  }

  /** A metric's per-point mean over replications (NaN when none). */
  double mean(int point, String metric) {
    return result.interval(point, metric).mean();
  }

  /** Whether every run of the point that has a record ended ok. */
  boolean allOk(int point) {
    return statusOf(point).equals("ok");
  }
}
