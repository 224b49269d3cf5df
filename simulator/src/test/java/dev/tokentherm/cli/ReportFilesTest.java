package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokentherm.report.LatencyDistributions;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.report.SeriesTable;
import dev.tokentherm.report.SummaryTables;
import dev.tokentherm.results.ResultsFolder;
import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report files of one run of the tiny scenario (two Llama-3.1-8B replicas on one DGX H100):
 * latencies.hlog against summary.json, report.md's tables against summary.json at their stated
 * decimals, every chart's embedded data against the file it was drawn from, and the report
 * command.
 */
class ReportFilesTest {
  @TempDir
  static Path dir;
  static Path out;
  static Summary summary;
  static String html;
  static String console;

  @BeforeAll
  static void run() throws IOException {
    Path scenario = TinyScenario.write(dir, "tiny.yaml", TinyScenario.TEXT);
    out = dir.resolve("out");
    Cli.Result r = Cli.run("run", scenario, "--out", out, "--set", "outputs.requests_csv=true");
    assertThat(r.code()).as(r.toString()).isZero();
    console = r.out();
    summary = SummaryJson.read(out.resolve("summary.json"));
    html = Files.readString(out.resolve(ReportWriter.HTML), StandardCharsets.UTF_8);
  }

  /** summary.json's percentiles of each metric, as latencies.hlog's tags name them. */
  private static Map<String, Summary.Percentiles> byMetric(Summary.Latency l) {
    Map<String, Summary.Percentiles> m = new LinkedHashMap<>();
    m.put("ttft", l.ttftMs());
    m.put("tpot", l.tpotMs());
    m.put("tbt", l.tbtMs());
    m.put("max_tbt", l.maxTbtMs());
    m.put("e2e", l.e2eMs());
    m.put("queue", l.queueMs());
    return m;
  }

  @Test
  void theLatencyLogHoldsTheDistributionsSummaryJsonReads() throws IOException {
    LatencyDistributions log = LatencyDistributions.read(out.resolve(LatencyDistributions.FILE));
    assertThat(log.tags()).containsExactly("all/ttft", "all/tpot", "all/tbt", "all/max_tbt", "all/e2e", "all/queue",
        "chat/ttft", "chat/tpot", "chat/tbt", "chat/max_tbt", "chat/e2e", "chat/queue");
    for (String deployment : List.of("all", "chat")) {
      Summary.Latency latency = deployment.equals("all") ? summary.latency()
          : summary.byDeployment().get(deployment).latency();
      byMetric(latency).forEach((metric, p) -> {
        Histogram h = log.get(deployment, metric);
        // summary.json writes ns / 1e6 at 10 significant digits
        assertThat(h.getValueAtPercentile(50) / 1e6).as(metric).isCloseTo(p.p50(), within(1e-9 * p.p50()));
        assertThat(h.getValueAtPercentile(90) / 1e6).as(metric).isCloseTo(p.p90(), within(1e-9 * p.p90()));
        assertThat(h.getValueAtPercentile(99) / 1e6).as(metric).isCloseTo(p.p99(), within(1e-9 * p.p99()));
      });
    }
    assertThat(log.get("all", "ttft").getTotalCount()).isEqualTo(summary.requests().completed());
  }

  /** The rows of report.md's table titled {@code title}: label → cells. */
  private static Map<String, List<String>> markdownTable(String title) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve(ReportWriter.MARKDOWN));
    Map<String, List<String>> rows = new LinkedHashMap<>();
    int at = lines.indexOf("### " + title);
    assertThat(at).as("report.md has the table '%s'", title).isNotNegative();
    for (int i = at + 4; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      List<String> cells = new ArrayList<>();
      for (String c : lines.get(i).substring(1).split("\\|")) {
        cells.add(c.trim());
      }
      rows.put(cells.get(0), cells.subList(1, cells.size()));
    }
    return rows;
  }

  /** A cell equals the exact value rounded to the cell's decimals: within half its last digit. */
  private static void assertRounded(String cell, double exact, int decimals) {
    BigDecimal shown = new BigDecimal(cell);
    assertThat(shown.scale()).as(cell).isEqualTo(decimals);
    assertThat(Math.abs(shown.doubleValue() - exact)).as(cell + " against " + exact)
        .isLessThanOrEqualTo(0.5 * Math.pow(10, -decimals) * (1 + 1e-9));
  }

  @Test
  void markdownTablesEqualSummaryJsonAtTheirDecimals() throws IOException {
    Map<String, List<String>> latency = markdownTable("Latency of the window's requests, ms");
    List<Summary.Percentiles> expected = new ArrayList<>(byMetric(summary.latency()).values());
    assertThat(latency.keySet()).containsExactlyElementsOf(SummaryTables.LATENCY_ROWS);
    int i = 0;
    for (List<String> cells : latency.values()) {
      int d = SummaryTables.LATENCY_DECIMALS[i];
      assertRounded(cells.get(0), expected.get(i).p50(), d);
      assertRounded(cells.get(1), expected.get(i).p90(), d);
      assertRounded(cells.get(2), expected.get(i).p99(), d);
      i++;
    }
    // one rounding function: the console's TTFT p50 is the table's cell
    assertThat(console).contains("TTFT p50 " + latency.get("TTFT").get(0) + " ms");
    Map<String, List<String>> window = markdownTable("Throughput, SLO, energy and power over the window "
        + Math.round(summary.window().startS()) + "–" + Math.round(summary.window().endS()) + " s");
    assertRounded(window.get("output tokens per s").get(0), summary.throughput().outputTokensPerS(), 1);
    assertRounded(window.get("requests per s").get(0), summary.throughput().requestsPerS(), 3);
    assertRounded(window.get("SLO attainment, %").get(0), 100 * summary.slo().attainment(), 1);
    assertRounded(window.get("J per output token").get(0), summary.energy().jPerOutputToken(), 3);
    assertRounded(window.get("GPU mean power, W").get(0), summary.power().gpuMeanW(), 1);
    assertRounded(window.get("GPU energy, J").get(0), summary.energy().gpuJ(), 0);
    Map<String, List<String>> requests = markdownTable("Requests that arrived in the window");
    assertThat(requests.get("arrived")).containsExactly(Long.toString(summary.requests().arrived()));
    assertThat(requests.get("completed")).containsExactly(Long.toString(summary.requests().completed()));
  }

  /** The chart data embedded in report.html, by chart id. */
  private static JsonNode chart(String id) throws IOException {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + Pattern.quote(id) + "\">(.*?)</script>",
        Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("report.html embeds %s", id).isTrue();
    assertThat(html).contains("data-chart=\"" + id + "\"");
    return new ObjectMapper().readTree(m.group(1));
  }

  private static double[] numbers(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asDouble();
    }
    return v;
  }

  /** The x of a CDF series at fraction y. */
  private static double cdfAt(JsonNode chart, String series, double y) {
    for (JsonNode s : chart.path("series")) {
      if (s.path("name").asText().equals(series)) {
        double[] xs = numbers(s.has("x") ? s.get("x") : chart.get("x"));
        double[] ys = numbers(s.get("y"));
        for (int i = 0; i < ys.length; i++) {
          if (ys[i] == y) {
            return xs[i];
          }
        }
      }
    }
    throw new AssertionError(series + " has no point at " + y);
  }

  private static List<Double> marksX(JsonNode chart) {
    List<Double> xs = new ArrayList<>();
    chart.path("marks").forEach(m -> {
      if (m.has("x")) {
        xs.add(m.get("x").asDouble());
      }
    });
    return xs;
  }

  @Test
  void latencyCdfsPassThroughSummaryJsonsPercentilesWithTheSloLines() throws IOException {
    JsonNode ttft = chart("chart-ttft-cdf");
    Summary.Percentiles p = summary.latency().ttftMs();
    assertThat(cdfAt(ttft, "all", 0.5)).isCloseTo(p.p50(), within(1e-9 * p.p50()));
    assertThat(cdfAt(ttft, "all", 0.9)).isCloseTo(p.p90(), within(1e-9 * p.p90()));
    assertThat(cdfAt(ttft, "all", 0.99)).isCloseTo(p.p99(), within(1e-9 * p.p99()));
    assertThat(marksX(ttft)).containsExactly(summary.slo().ttftMs());
    JsonNode tbt = chart("chart-tbt-cdf");
    Summary.Percentiles q = summary.latency().tbtMs();
    assertThat(cdfAt(tbt, "all", 0.5)).isCloseTo(q.p50(), within(1e-9 * q.p50()));
    assertThat(cdfAt(tbt, "all", 0.99)).isCloseTo(q.p99(), within(1e-9 * q.p99()));
    assertThat(marksX(tbt)).containsExactly(summary.slo().tpotMs());
    Summary.Percentiles e = summary.latency().e2eMs();
    assertThat(cdfAt(chart("chart-e2e-cdf"), "all", 0.5)).isCloseTo(e.p50(), within(1e-9 * e.p50()));
  }

  /** The turns of conversations.csv: header → column, rows of cells. */
  private static List<Map<String, String>> turns() throws IOException {
    return rows("conversations.csv");
  }

  /** A CSV results file's rows: header → cell. */
  private static List<Map<String, String>> rows(String file) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve(file));
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Throughput and goodput over time integrate to the run's output tokens and to the output tokens
   * of the completed requests within the SLO (requests.csv: TTFT ≤ slo.ttft_ms and TPOT ≤
   * slo.tpot_ms or none); the chart draws report_series.csv's points.
   */
  @Test
  void throughputAndGoodputSeriesSumToTheRunsTokens() throws IOException {
    SeriesTable table = SeriesTable.read(out.resolve(SeriesTable.FILE));
    SeriesTable.Series throughput = table.series("throughput_tok_per_s").get(0);
    SeriesTable.Series goodput = table.series("goodput_tok_per_s").get(0);
    assertThat(SeriesTable.integral(throughput)).isCloseTo(summary.run().outputTokens(),
        within(1e-6 * summary.run().outputTokens()));
    long good = 0;
    for (Map<String, String> t : rows("requests.csv")) {
      if (!t.get("status").equals("completed")) {
        continue;
      }
      String tpot = t.get("tpot_ms");
      if (Double.parseDouble(t.get("ttft_ms")) <= summary.slo().ttftMs()
          && (tpot.isEmpty() || Double.parseDouble(tpot) <= summary.slo().tpotMs())) {
        good += Long.parseLong(t.get("output_tokens"));
      }
    }
    assertThat(SeriesTable.integral(goodput)).isCloseTo(good, within(1e-6 * good));
    JsonNode c = chart("chart-throughput");
    assertThat(numbers(c.get("x"))).containsExactly(throughput.timeS());
    assertThat(numbers(c.get("series").get(0).get("y"))).containsExactly(throughput.value());
    assertThat(numbers(c.get("series").get(1).get("y"))).containsExactly(goodput.value());
    assertThat(throughput.timeS().length).isLessThanOrEqualTo(500);
  }

  private static List<String> seriesNames(JsonNode chart) {
    List<String> names = new ArrayList<>();
    chart.path("series").forEach(s -> names.add(s.path("name").asText()));
    return names;
  }

  /**
   * Per replica and per GPU: two replicas of one GPU each on a DGX H100's 8 GPUs (the other 6
   * unused); the temperature chart's lines are the GPU profile's thermal limits.
   */
  @Test
  void replicaAndGpuChartsDrawEveryKeyAndTheProfilesThermalLimits() throws IOException {
    assertThat(seriesNames(chart("chart-running-batch"))).containsExactly("chat/r0", "chat/r1");
    assertThat(seriesNames(chart("chart-kv-occupancy"))).containsExactly("chat/r0", "chat/r1");
    List<String> gpus = seriesNames(chart("chart-power"));
    assertThat(gpus).hasSize(8);
    assertThat(gpus.stream().filter(g -> g.startsWith("chat/r")).count()).isEqualTo(2);
    JsonNode profile = new YAMLMapper().readTree(Path.of("hardware-profiles/gpus/h100-sxm.yaml").toFile());
    List<Double> limits = new ArrayList<>();
    chart("chart-temperature").path("marks").forEach(m -> limits.add(m.get("y").asDouble()));
    JsonNode thermal = profile.path("thermal");
    assertThat(limits).containsExactly(thermal.path("slowdown_c").path("value").asDouble(),
        thermal.path("hw_slowdown_c").path("value").asDouble(), thermal.path("shutdown_c").path("value").asDouble());
    assertThat(html).doesNotContain("chart-tier-occupancy"); // no kv_tiers
  }

  @Test
  void phraseCostDrawsEveryTurnOfConversationsCsv() throws IOException {
    JsonNode c = chart("chart-phrase-cost");
    List<Map<String, String>> turns = turns();
    double joules = 0;
    for (Map<String, String> t : turns) {
      joules += Double.parseDouble(t.get("active_j"));
    }
    double[] drawn = numbers(c.get("series").get(0).get("y"));
    double sum = 0;
    for (double j : drawn) {
      sum += j;
    }
    assertThat(drawn).hasSize(turns.size());
    assertThat(sum).isCloseTo(joules, within(1e-6 * joules));
  }

  @Test
  void thePageIsSelfContainedAndSmall() throws IOException {
    assertThat(html).doesNotContain("<script src").doesNotContain("<link ").contains("Apache ECharts 5.3.1");
    assertThat(Files.size(out.resolve(ReportWriter.HTML))).isLessThan(3_000_000);
    assertThat(html).contains("h100-sxm").contains("source");
  }

  @Test
  void theReportCommandRebuildsTheSameFiles() throws IOException {
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    for (String name : ResultsFolder.RESULT_FILES) {
      if (Files.exists(out.resolve(name)) && !name.startsWith("report.")) {
        Files.copy(out.resolve(name), copy.resolve(name));
      }
    }
    Cli.Result r = Cli.run("report", copy);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.readString(copy.resolve(ReportWriter.HTML))).isEqualTo(html);
    assertThat(Files.readString(copy.resolve(ReportWriter.MARKDOWN)))
        .isEqualTo(Files.readString(out.resolve(ReportWriter.MARKDOWN)));
  }

  @Test
  void theReportCommandRefusesMissingAndForeignFolders() throws IOException {
    Cli.Result missing = Cli.run("report", dir.resolve("nowhere"));
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.errLines()).singleElement().asString().contains("nowhere").contains("no such folder");
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    Cli.Result r = Cli.run("report", foreign);
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("foreign").contains("holds no tokentherm results");
    assertThat(foreign.resolve(ReportWriter.HTML)).doesNotExist();
  }

  /**
   * KV tiers (TiersCsvTest's run, tiers.csv written): one conversation whose 1,024 tokens of KV (× 131,072 B per
   * token for Llama-3.1-8B bf16 = 134,217,728 B) move down to DRAM 1 s after its first turn, before
   * the last sample (11 s). The tier charts draw every tier; DRAM holds those bytes at a point and
   * its inflow integrates to them.
   */
  @Test
  void tierChartsShowTheBytesMovedDown() throws IOException {
    Path scenario = TinyScenario.write(dir, "tiers.yaml", TiersCsvTest.SCENARIO.formatted("tiers_csv"));
    Path tiers = dir.resolve("tiers");
    Cli.Result r = Cli.run("run", scenario, "--out", tiers, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as(r.toString()).isZero();
    String page = Files.readString(tiers.resolve(ReportWriter.HTML));
    assertThat(page).contains("id=\"chart-tier-occupancy\"").contains("id=\"chart-tier-traffic\"");
    SeriesTable table = SeriesTable.read(tiers.resolve(SeriesTable.FILE));
    SeriesTable.Series held = table.series("tier_bytes_held").stream().filter(x -> x.key().equals("dram"))
        .findFirst().orElseThrow();
    assertThat(held.value()).contains(134_217_728.0);
    SeriesTable.Series in = table.series("tier_bytes_in_per_s").stream().filter(x -> x.key().equals("dram"))
        .findFirst().orElseThrow();
    assertThat(SeriesTable.integral(in)).isCloseTo(134_217_728.0, within(1e-3));
  }

  @Test
  void aDamagedResultsFileIsOneLineNamingIt() throws IOException {
    Path copy = dir.resolve("damaged");
    Files.createDirectories(copy);
    for (String name : List.of("manifest.json", "summary.json", SeriesTable.FILE)) {
      Files.copy(out.resolve(name), copy.resolve(name));
    }
    Files.writeString(copy.resolve(SeriesTable.FILE), "series,key,time_s,value\nthroughput_tok_per_s,all,1,x\n");
    Cli.Result r = Cli.run("report", copy);
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains(copy.resolve(SeriesTable.FILE).toString())
        .contains("line 2");
  }

  @Test
  void withoutAReportOnlyTheLatencyLogIsWritten() throws IOException {
    Path scenario = TinyScenario.write(dir, "tiny-off.yaml", TinyScenario.TEXT);
    Path off = dir.resolve("off");
    Cli.Result r = Cli.run("run", scenario, "--out", off, "--set", "outputs.report=false");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(off.resolve(LatencyDistributions.FILE)).exists();
    assertThat(off.resolve(ReportWriter.HTML)).doesNotExist();
    assertThat(off.resolve(ReportWriter.MARKDOWN)).doesNotExist();
    assertThat(off.resolve(SeriesTable.FILE)).doesNotExist();
    assertThat(Files.readString(off.resolve("summary.json"))).isEqualTo(Files.readString(out.resolve("summary.json")));
  }
}
