package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.report.CompareMetric;
import dev.tokentherm.report.Comparison;
import dev.tokentherm.report.LatencyDistributions;
import dev.tokentherm.report.RunGroup;
import dev.tokentherm.report.SeriesTable;
import dev.tokentherm.results.ConfidenceInterval;
import dev.tokentherm.results.Decimals;
import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --compare}: quickstart (shortened to a 120 s horizon) under two batch policies,
 * vllm-v1 and static (request-level batches), with seeds 1, 2 and 3 each. Two groups of three; every figure derived here
 * from the six summary.json files and latencies.hlog by the definitions: the interval is
 * ConfidenceInterval.of(the three values), the difference and ratio B − A and B / A of the means,
 * the pooled histogram's count the sum of the seeds' counts.
 */
class CompareReportTest {
  static final List<String> POLICIES = List.of("vllm-v1", "static");
  static final long[] SEEDS = {1, 2, 3};
  /** t(0.975, 2): the 97.5th percentile of Student's t with 2 degrees of freedom, 4.302652730. */
  /** The --set overrides after the policy's that shorten the runs, as the group's label lists them. */
  static final String SHORT = " horizon_s=120 measure.end_s=120 max_drain_s=300";
  static final double T_975_2 = 4.302652729749464;

  @TempDir
  static Path dir;
  static List<Path> runs = new ArrayList<>();
  static Path page;
  static Cli.Result compared;

  @BeforeAll
  static void runSix() {
    for (String policy : POLICIES) {
      for (long seed : SEEDS) {
        Path out = dir.resolve(policy + "-" + seed);
        Cli.Result r = Cli.run("run", "scenarios/quickstart.yaml", "--seed", seed, "--out", out,
            "--set", "deployments[0].scheduler.policy=" + policy, "--set", "horizon_s=120",
            "--set", "measure.end_s=120", "--set", "max_drain_s=300");
        assertThat(r.code()).as(r.toString()).isZero();
        runs.add(out);
      }
    }
    page = dir.resolve("cmp/policies.html");
    List<Object> args = new ArrayList<>(List.of("report", "--compare"));
    args.addAll(runs);
    args.addAll(List.of("--out", page));
    compared = Cli.run(args.toArray());
  }

  private static double[] values(int group, CompareMetric m) throws IOException {
    double[] v = new double[SEEDS.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.of(SummaryJson.read(runs.get(group * SEEDS.length + i).resolve("summary.json")));
    }
    return v;
  }

  @Test
  void twoGroupsOfThreeSeedsEachWithTheirIntervals() throws Exception {
    assertThat(compared.code()).as(compared.toString()).isZero();
    Comparison c = Comparison.of(runs);
    assertThat(c.groups()).hasSize(2);
    for (int g = 0; g < 2; g++) {
      RunGroup group = c.groups().get(g);
      assertThat(group.n()).isEqualTo(3);
      assertThat(group.seeds()).containsExactly(SEEDS);
      assertThat(group.label()).isEqualTo("quickstart deployments[0].scheduler.policy=" + POLICIES.get(g) + SHORT);
      for (CompareMetric m : CompareMetric.ALL) {
        assertThat(c.interval(g, m)).as(m.name()).isEqualTo(ConfidenceInterval.of(values(g, m)));
      }
    }
    // one interval by hand: mean ± t(0.975, 2)·s/√3
    CompareMetric ttftP99 = CompareMetric.ALL.get(1);
    double[] v = values(1, ttftP99);
    double mean = (v[0] + v[1] + v[2]) / 3;
    double s = Math.sqrt(((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean)
        + (v[2] - mean) * (v[2] - mean)) / 2);
    assertThat(c.interval(1, ttftP99).mean()).isCloseTo(mean, within(1e-9 * mean));
    assertThat(c.interval(1, ttftP99).halfWidth()).isCloseTo(T_975_2 * s / Math.sqrt(3), within(1e-9 * mean));
  }

  @Test
  void differencesAndRatiosAreOfTheGroupMeans() throws Exception {
    Comparison c = Comparison.of(runs);
    for (CompareMetric m : CompareMetric.ALL) {
      double a = mean(values(0, m));
      double b = mean(values(1, m));
      assertThat(c.difference(1, m)).as(m.name()).isCloseTo(b - a, within(1e-9 * Math.max(1, Math.abs(a))));
      if (a != 0) {
        assertThat(c.ratio(1, m)).as(m.name()).isCloseTo(b / a, within(1e-12 * Math.abs(b / a) + 1e-15));
      }
      // same seeds in both groups: the paired interval, whose mean is the difference of means
      ConfidenceInterval paired = c.pairedDifference(1, m);
      assertThat(paired).isEqualTo(ConfidenceInterval.ofDifferences(values(0, m), values(1, m)));
      assertThat(paired.mean()).isCloseTo(b - a, within(1e-9 * Math.max(1, Math.abs(a))));
    }
  }

  private static double mean(double[] v) {
    return (v[0] + v[1] + v[2]) / 3;
  }

  @Test
  void theMarkdownTwinShowsTheIntervalsAtEachMetricsDecimals() throws Exception {
    Path md = dir.resolve("cmp/policies.md");
    assertThat(md).exists();
    assertThat(page).exists();
    String text = Files.readString(md, StandardCharsets.UTF_8);
    assertThat(text).contains("| metric | A (n=3) | B (n=3) | B − A | B / A |");
    for (CompareMetric m : CompareMetric.ALL) {
      ConfidenceInterval a = ConfidenceInterval.of(values(0, m));
      ConfidenceInterval b = ConfidenceInterval.of(values(1, m));
      ConfidenceInterval d = ConfidenceInterval.ofDifferences(values(0, m), values(1, m));
      int k = m.decimals();
      String row = "| " + m.name() + " | " + Decimals.fixed(a.mean(), k) + " ± " + Decimals.fixed(a.halfWidth(), k)
          + " | " + Decimals.fixed(b.mean(), k) + " ± " + Decimals.fixed(b.halfWidth(), k) + " | "
          + Decimals.fixed(b.mean() - a.mean(), k) + " ± " + Decimals.fixed(d.halfWidth(), k) + " | "
          + Decimals.fixed(b.mean() / a.mean(), 3) + " |";
      assertThat(text).as(m.name()).contains(row);
    }
    assertThat(compared.out()).contains("| metric | A (n=3) | B (n=3) | B − A | B / A |");
    assertThat(text).contains("| A | quickstart deployments[0].scheduler.policy=vllm-v1" + SHORT + " | 3 | 1, 2, 3 |");
  }

  @Test
  void pooledHistogramsAddTheSeedsCounts() throws Exception {
    Comparison c = Comparison.of(runs);
    String text = Files.readString(dir.resolve("cmp/policies.md"), StandardCharsets.UTF_8);
    for (int g = 0; g < 2; g++) {
      for (String metric : List.of("ttft", "tbt", "e2e")) {
        long sum = 0;
        for (int i = 0; i < SEEDS.length; i++) {
          sum += LatencyDistributions.read(runs.get(g * SEEDS.length + i).resolve(LatencyDistributions.FILE))
              .get(LatencyDistributions.ALL, metric).getTotalCount();
        }
        assertThat(sum).isPositive();
        assertThat(c.groups().get(g).merged(LatencyDistributions.ALL, metric).getTotalCount()).isEqualTo(sum);
        if (!metric.equals("tbt")) { // one TTFT and one E2E per completed request of the window
          long completed = 0;
          for (int i = 0; i < SEEDS.length; i++) {
            Summary s = SummaryJson.read(runs.get(g * SEEDS.length + i).resolve("summary.json"));
            completed += s.requests().completed();
          }
          assertThat(sum).isEqualTo(completed);
        }
        assertThat(text).contains(" | " + Comparison.letter(g) + " | " + sum + " | ");
      }
    }
  }

  @Test
  void thePageOverlaysOneCdfAndOneLinePerGroup() throws Exception {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    for (String id : List.of("chart-ttft-cdf", "chart-tbt-cdf", "chart-e2e-cdf", "chart-throughput", "chart-power")) {
      assertThat(html).contains("id=\"" + id + "\"");
    }
    String ttft = html.substring(html.indexOf("<script type=\"application/json\" id=\"chart-ttft-cdf\">"));
    ttft = ttft.substring(ttft.indexOf('>') + 1, ttft.indexOf("</script>"));
    var chart = new ObjectMapper().readTree(ttft);
    assertThat(chart.path("series")).hasSize(2);
    assertThat(chart.path("series").get(0).path("name").asText()).startsWith("A quickstart");
    // throughput: one line per group, the seeds' report_series.csv averaged point by point to the shortest run's end
    String tp = html.substring(html.indexOf("<script type=\"application/json\" id=\"chart-throughput\">"));
    var throughput = new ObjectMapper().readTree(tp.substring(tp.indexOf('>') + 1, tp.indexOf("</script>")));
    assertThat(throughput.path("series")).hasSize(2);
    for (int g = 0; g < 2; g++) {
      List<SeriesTable.Series> seeds = new ArrayList<>();
      for (int i = 0; i < SEEDS.length; i++) {
        seeds.add(SeriesTable.read(runs.get(g * SEEDS.length + i).resolve(SeriesTable.FILE))
            .series("throughput_tok_per_s").get(0));
      }
      int n = Math.min(seeds.get(0).value().length, Math.min(seeds.get(1).value().length, seeds.get(2).value().length));
      var y = throughput.path("series").get(g).path("y");
      assertThat(y).hasSize(n);
      for (int k = 0; k < n; k += 7) {
        double mean = seeds.get(0).value()[k] / 3 + seeds.get(1).value()[k] / 3 + seeds.get(2).value()[k] / 3;
        assertThat(y.get(k).asDouble()).isCloseTo(mean, within(1e-9 * (1 + mean)));
      }
    }
  }

  @Test
  void foldersWrittenBeforeTheSeedlessHashGroupByScenarioFileAndSets() throws Exception {
    List<Path> old = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (Path run : runs) {
      Path copy = dir.resolve("old").resolve(run.getFileName());
      Files.createDirectories(copy);
      for (String f : List.of("summary.json", "manifest.json")) {
        Files.copy(run.resolve(f), copy.resolve(f));
      }
      ObjectNode m = (ObjectNode) json.readTree(copy.resolve("manifest.json").toFile());
      m.remove("scenario_sha256_without_seed");
      json.writeValue(copy.resolve("manifest.json").toFile(), m);
      old.add(copy);
    }
    Comparison c = Comparison.of(old);
    assertThat(c.groups()).extracting(RunGroup::n).containsExactly(3, 3);
  }

  @Test
  void missingAndForeignFoldersAreOneLineErrors() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "not results");
    Cli.Result missing = Cli.run("report", "--compare", runs.get(0), dir.resolve("nowhere"));
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.errLines()).singleElement().asString().contains("nowhere").contains("no such folder");
    Cli.Result other = Cli.run("report", "--compare", runs.get(0), foreign);
    assertThat(other.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(other.errLines()).singleElement().asString().contains("foreign").contains("holds no tokentherm results");
    Cli.Result one = Cli.run("report", "--compare", runs.get(0));
    assertThat(one.errLines()).singleElement().asString().contains("allowed: two or more");
    Cli.Result twice = Cli.run("report", "--compare", runs.get(0), runs.get(0));
    assertThat(twice.errLines()).singleElement().asString().contains("given twice");
    Cli.Result md = Cli.run("report", "--compare", runs.get(0), runs.get(1), "--out", dir.resolve("x.md"));
    assertThat(md.errLines()).singleElement().asString().contains("ending in .html");
    Cli.Result noCompare = Cli.run("report", runs.get(0), runs.get(1));
    assertThat(noCompare.errLines()).singleElement().asString().contains("without --compare");
  }
}
