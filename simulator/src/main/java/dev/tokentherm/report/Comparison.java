package dev.tokentherm.report;

import static dev.tokentherm.results.Decimals.fixed;

import dev.tokentherm.results.ConfidenceInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Runs side by side ({@code tokentherm report --compare DIR...}): runs that differ only in their
 * seed form a group ({@link RunGroup}), named A, B, … in the order given; every metric of
 * {@link CompareMetric#ALL} as each group's mean with its 95 % t-interval, and each later group's
 * difference (B − A, with the paired t-interval when both groups ran the same seeds) and ratio
 * (B / A) of means against the first. Latency CDFs of each group's added histograms and time
 * series overlaid ({@link CompareCharts}). One page in HTML and its Markdown twin.
 */
public final class Comparison {
  private final List<RunGroup> groups;

  private Comparison(List<RunGroup> groups) {
    this.groups = groups;
  }

  /**
   * Reads the folders and groups them.
   *
   * @throws ReportException one line: fewer than two folders, a folder given twice, a folder
   *     missing or not a tokentherm results folder ({@link Results#read})
   */
  public static Comparison of(List<Path> dirs) throws ReportException {
    if (dirs.size() < 2) {
      throw new ReportException("--compare: " + dirs.size() + " results folder" + (dirs.size() == 1 ? "" : "s")
          + "; allowed: two or more (one folder's report: tokentherm report DIR)");
    }
    Set<Path> seen = new HashSet<>();
    List<Results> runs = new ArrayList<>();
    for (Path d : dirs) {
      if (!seen.add(d.toAbsolutePath().normalize())) {
        throw new ReportException(d + ": given twice; allowed: each results folder once");
      }
      runs.add(Results.read(d));
    }
    return new Comparison(RunGroup.of(runs));
  }

  public List<RunGroup> groups() {
    return groups;
  }

  /** The name of group {@code g} in the tables: A, B, …, Z, then G27, G28, …. */
  public static String letter(int g) {
    return g < 26 ? String.valueOf((char) ('A' + g)) : "G" + (g + 1);
  }

  /** Group g's mean of the metric with its 95 % t-interval. */
  public ConfidenceInterval interval(int g, CompareMetric m) {
    return groups.get(g).interval(m);
  }

  /** Group g's mean less the first group's. */
  public double difference(int g, CompareMetric m) {
    return interval(g, m).mean() - interval(0, m).mean();
  }

  /** Group g's mean over the first group's (NaN when the first's is 0). */
  public double ratio(int g, CompareMetric m) {
    double a = interval(0, m).mean();
    return a == 0 ? Double.NaN : interval(g, m).mean() / a;
  }

  /**
   * The paired t-interval of group g's differences from the first group, seed by seed (common
   * random numbers), or null unless both groups ran the same two or more distinct seeds. Its mean
   * is {@link #difference}.
   */
  public ConfidenceInterval pairedDifference(int g, CompareMetric m) {
    long[] a = groups.get(0).seeds();
    long[] b = groups.get(g).seeds();
    long[] sa = a.clone();
    long[] sb = b.clone();
    Arrays.sort(sa);
    Arrays.sort(sb);
    if (sa.length < 2 || !Arrays.equals(sa, sb) || Arrays.stream(sa).distinct().count() != sa.length) {
      return null;
    }
    double[] va = bySeed(a, groups.get(0).values(m), sa);
    double[] vb = bySeed(b, groups.get(g).values(m), sa);
    return ConfidenceInterval.ofDifferences(va, vb);
  }

  private static double[] bySeed(long[] seeds, double[] values, long[] order) {
    double[] out = new double[order.length];
    for (int i = 0; i < seeds.length; i++) {
      out[Arrays.binarySearch(order, seeds[i])] = values[i];
    }
    return out;
  }

  /** The groups: name, label, runs, seeds, scenario file. */
  public Table groupsTable() {
    Table t = new Table("Groups (runs that differ only in their seed)", "group", "scenario and --set", "runs",
        "seeds", "scenario file");
    for (int g = 0; g < groups.size(); g++) {
      RunGroup r = groups.get(g);
      StringBuilder seeds = new StringBuilder();
      for (long s : r.seeds()) {
        seeds.append(seeds.length() == 0 ? "" : ", ").append(s);
      }
      t.row(letter(g), r.label(), Integer.toString(r.n()), seeds.toString(),
          r.runs().get(0).manifest().path("scenario_file").asText());
    }
    return t;
  }

  /** Every metric: each group's mean ± half-width, each later group's difference and ratio against A. */
  public Table metricTable() {
    List<String> header = new ArrayList<>(List.of("metric"));
    for (int g = 0; g < groups.size(); g++) {
      header.add(letter(g) + " (n=" + groups.get(g).n() + ")");
      if (g > 0) {
        header.add(letter(g) + " − A");
        header.add(letter(g) + " / A");
      }
    }
    Table t = new Table("Metrics (window; mean ± 95 % CI half-width over seeds)", header.toArray(new String[0]));
    for (CompareMetric m : CompareMetric.ALL) {
      List<String> row = new ArrayList<>(List.of(m.name()));
      for (int g = 0; g < groups.size(); g++) {
        row.add(cell(interval(g, m), m.decimals()));
        if (g > 0) {
          ConfidenceInterval paired = pairedDifference(g, m);
          String d = fixed(difference(g, m), m.decimals());
          row.add(paired == null ? d : d + " ± " + fixed(paired.halfWidth(), m.decimals()));
          row.add(fixed(ratio(g, m), 3));
        }
      }
      t.row(row.toArray(new String[0]));
    }
    return t;
  }

  /** A mean, with ± the half-width when there are two or more values. */
  static String cell(ConfidenceInterval ci, int decimals) {
    String mean = fixed(ci.mean(), decimals);
    return Double.isNaN(ci.halfWidth()) ? mean : mean + " ± " + fixed(ci.halfWidth(), decimals);
  }

  /** p50, p90, p99 and count of each group's fleet histograms added (latencies.hlog), per metric. */
  public Table pooledLatencyTable() {
    Table t = new Table("Latency of the groups' requests pooled over seeds (histograms added), ms", "metric",
        "group", "requests", "p50", "p90", "p99");
    for (String[] cdf : ReportCharts.CDFS) {
      for (int g = 0; g < groups.size(); g++) {
        Histogram h = groups.get(g).merged(LatencyDistributions.ALL, cdf[1]);
        if (h == null) {
          continue;
        }
        int d = cdf[1].equals("tbt") ? 2 : 1;
        t.row(cdf[2], letter(g), Long.toString(h.getTotalCount()), ms(h, 50, d), ms(h, 90, d), ms(h, 99, d));
      }
    }
    return t;
  }

  private static String ms(Histogram h, double percentile, int decimals) {
    return h.getTotalCount() == 0 ? "-" : fixed(h.getValueAtPercentile(percentile) / 1e6, decimals);
  }

  private String title() {
    StringBuilder b = new StringBuilder("tokentherm comparison: ");
    for (int g = 0; g < groups.size(); g++) {
      b.append(g == 0 ? "" : " vs ").append(letter(g));
    }
    return b.toString();
  }

  static final String READING = "Each group's cell is the mean of its runs ± the half-width of the 95 % Student-t"
      + " interval over its seeds (results.ConfidenceInterval; a bare number: one run). B − A is the difference of"
      + " the group means, ± the paired t-interval of the seed-by-seed differences when both groups ran the same"
      + " seeds (common random numbers); B / A is the ratio of the means. Figures from each run's summary.json,"
      + " rounded by results.Decimals.fixed as the run's own report.";

  /** The page's Markdown twin: the tables (charts are in the HTML). */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title()).append("\n\n").append(READING).append("\n\n");
    for (Table t : List.of(groupsTable(), metricTable(), pooledLatencyTable())) {
      b.append(t.markdown());
    }
    return b.toString();
  }

  /** The page: the tables and the overlaid charts. */
  public String html() {
    HtmlPage page = new HtmlPage(title());
    page.paragraph(READING);
    page.table(groupsTable()).table(metricTable());
    page.heading("Charts");
    for (Chart c : CompareCharts.of(this)) {
      page.chart(c);
    }
    page.table(pooledLatencyTable());
    return page.render();
  }

  /** Writes {@code out} (HTML) and its Markdown twin beside it ({@link #markdownFile}). */
  public void write(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, html(), StandardCharsets.UTF_8);
    Files.writeString(markdownFile(out), markdown(), StandardCharsets.UTF_8);
  }

  /** FILE.html's twin FILE.md (any other name: NAME.md beside it). */
  public static Path markdownFile(Path html) {
    String name = html.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return html.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".md");
  }
}
