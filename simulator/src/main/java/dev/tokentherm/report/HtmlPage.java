package dev.tokentherm.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML page: headings, text, tables and charts, with Apache ECharts
 * ({@link Echarts}) and the drawing script inlined, each chart's data embedded as JSON in
 * {@code <script type="application/json" id="chart-…">}. Opens offline; any page of runs (one run's
 * report, a comparison) is built with it. Script errors are kept in {@code window.tokenthermErrors}.
 */
public final class HtmlPage {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String title;
  private final List<String> body = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();

  public HtmlPage(String title) {
    this.title = title;
  }

  public HtmlPage heading(String text) {
    body.add("<h2>" + Html.escape(text) + "</h2>\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    body.add("<p>" + Html.escape(text) + "</p>\n");
    return this;
  }

  public HtmlPage table(Table t) {
    body.add(t.html());
    return this;
  }

  /** Tables side by side (wrapping on a narrow window). */
  public HtmlPage tablesInARow(List<Table> tables) {
    StringBuilder b = new StringBuilder("<div class=\"row\">\n");
    for (Table t : tables) {
      b.append("<div>").append(t.html()).append("</div>\n");
    }
    body.add(b.append("</div>\n").toString());
    return this;
  }

  /** A chart: its container and its data; a chart id is used once per page. */
  public HtmlPage chart(Chart c) {
    if (ids.contains(c.id())) {
      throw new IllegalArgumentException("chart id " + c.id() + " is used twice");
    }
    ids.add(c.id());
    String json;
    try {
      json = JSON.writeValueAsString(c.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    body.add("<div class=\"chart\" id=\"" + Html.escape(c.id()) + "-view\" data-chart=\"" + Html.escape(c.id())
        + "\"></div>\n<script type=\"application/json\" id=\"" + Html.escape(c.id()) + "\">"
        + Html.scriptJson(json) + "</script>\n");
    return this;
  }

  /** The ids of the charts, in page order. */
  public List<String> chartIds() {
    return List.copyOf(ids);
  }

  public String render() {
    StringBuilder b = new StringBuilder(1 << 21);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Html.escape(title)).append("</title>\n")
        .append("<script>window.tokenthermErrors = []; window.onerror = function (m) {"
            + " window.tokenthermErrors.push(String(m)); };</script>\n")
        .append("<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}"
            + "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right}td:first-child,th:first-child{text-align:left}"
            + "div.row{display:flex;flex-wrap:wrap;gap:0 3em}h3{font-size:1em}"
            + "div.chart{display:inline-block;width:49%;height:340px;margin:0.5em 0}</style>\n")
        .append("</head>\n<body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
    body.forEach(b::append);
    b.append("<script>/* Apache ECharts ").append(Echarts.version()).append(", Apache License 2.0 */\n")
        .append(Echarts.script()).append("\n</script>\n<script>\n").append(drawingScript())
        .append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static String drawingScript() {
    try (InputStream in = HtmlPage.class.getResourceAsStream("charts.js")) {
      if (in == null) {
        throw new IOException("dev/tokentherm/report/charts.js: not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
