package dev.tokentherm.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of text cells, rendered to Markdown and HTML alike. Numbers are put in already rounded
 * ({@link dev.tokentherm.results.Decimals#fixed}, the console table's rounding), so both forms show
 * the same digits.
 */
public final class Table {
  private final String title;
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String title, String... header) {
    this.title = title;
    this.header = List.of(header);
  }

  public Table row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(title + ": " + cells.length + " cells against " + header.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  public String title() {
    return title;
  }

  public List<String> header() {
    return header;
  }

  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** {@code ### title}, then a GitHub table ({@code |} in a cell escaped). */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("### ").append(title).append("\n\n");
    line(b, header);
    b.append('|');
    for (int i = 0; i < header.size(); i++) {
      b.append(i == 0 ? " --- |" : " ---: |");
    }
    b.append('\n');
    for (List<String> r : rows) {
      line(b, r);
    }
    return b.append('\n').toString();
  }

  private static void line(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String c : cells) {
      b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    b.append('\n');
  }

  public String html() {
    StringBuilder b = new StringBuilder();
    b.append("<h3>").append(Html.escape(title)).append("</h3>\n<table>\n<thead><tr>");
    for (String h : header) {
      b.append("<th>").append(Html.escape(h)).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (List<String> r : rows) {
      b.append("<tr>");
      for (String c : r) {
        b.append("<td>").append(Html.escape(c)).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>\n").toString();
  }
}
