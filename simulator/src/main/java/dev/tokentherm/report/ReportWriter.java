package dev.tokentherm.report;

import dev.tokentherm.results.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes report.html and report.md into a results folder, from its files alone ({@link Results}):
 * a run does it at its end (outputs.report), {@code tokentherm report DIR} again at any time.
 */
public final class ReportWriter {
  public static final String HTML = "report.html";
  public static final String MARKDOWN = "report.md";

  private ReportWriter() {}

  /** Reads the folder and writes both files into it; returns what it read. */
  public static Results write(Path dir) throws ReportException, IOException {
    Results r = Results.read(dir);
    Files.writeString(dir.resolve(HTML), html(r), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(MARKDOWN), markdown(r), StandardCharsets.UTF_8);
    return r;
  }

  private static String title(Results r) {
    return "tokentherm report: " + r.name();
  }

  private static String about(Results r) {
    Summary s = r.summary();
    return "Scenario " + r.name() + ", seed " + s.seed() + ", " + r.manifest().path("scenario_file").asText()
        + "; tokentherm " + r.manifest().path("version").asText() + ", run hash "
        + r.manifest().path("run_hash").asText() + ". Window " + dev.tokentherm.results.Decimals.fixed(
            s.window().startS(), 0) + "–" + dev.tokentherm.results.Decimals.fixed(s.window().endS(), 0) + " s.";
  }

  /** report.html's text: the key tables, the charts, every table, the assumptions. */
  public static String html(Results r) {
    HtmlPage page = new HtmlPage(title(r));
    page.paragraph(about(r));
    List<Table> tables = SummaryTables.of(r.summary());
    page.tablesInARow(tables.subList(0, 2));
    page.heading("Charts");
    List<Chart> charts = ReportCharts.of(r);
    for (Chart c : charts) {
      page.chart(c);
    }
    String missing = missing(r);
    if (!missing.isEmpty()) {
      page.paragraph(missing);
    }
    page.heading("Summary");
    for (Table t : tables.subList(2, tables.size())) {
      page.table(t);
    }
    List<Table> assumptions = AssumptionTables.of(r.assumptions());
    if (!assumptions.isEmpty()) {
      page.heading("Assumptions");
      assumptions.forEach(page::table);
    }
    return page.render();
  }

  /** report.md's text: the same key tables and the assumptions, for pull requests and wikis. */
  public static String markdown(Results r) {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title(r)).append("\n\n").append(about(r)).append("\n\n");
    b.append("Figures from summary.json, rounded as the console table rounds them (results.Decimals.fixed)."
        + " Charts: report.html beside this file.\n\n");
    return b.append(tablesMarkdown(r)).toString();
  }

  /** report.md's tables: "## Summary" and "## Assumptions" with theirs (the gallery's pages reuse them). */
  public static String tablesMarkdown(Results r) {
    StringBuilder b = new StringBuilder();
    b.append("## Summary\n\n");
    for (Table t : SummaryTables.of(r.summary())) {
      b.append(t.markdown());
    }
    List<Table> assumptions = AssumptionTables.of(r.assumptions());
    if (!assumptions.isEmpty()) {
      b.append("## Assumptions\n\n");
      assumptions.forEach(t -> b.append(t.markdown()));
    }
    return b.toString();
  }

  private static String missing(Results r) {
    StringBuilder b = new StringBuilder();
    if (r.latencies() == null) {
      b.append("No latencies.hlog: no latency CDFs. ");
    }
    if (r.series() == null) {
      b.append("No report_series.csv: no time series. ");
    }
    if (r.costs() == null) {
      b.append("No conversations.csv (outputs.conversations_csv): no cost per phrase. ");
    }
    return b.toString().trim();
  }
}
