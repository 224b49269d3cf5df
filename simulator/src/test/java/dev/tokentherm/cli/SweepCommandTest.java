package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.experiment.SmallScenario;
import dev.tokentherm.results.ConfidenceInterval;
import dev.tokentherm.results.Decimals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokentherm sweep}: tables, intervals, determinism, resuming, shards, changed profiles. */
class SweepCommandTest {
  static final List<String> OUTPUTS = List.of("sweep.csv", "sweep_summary.csv", "sweep_paired.csv", "sweep.md",
      "sweep.html", "sweep.json");

  @TempDir
  Path dir;

  /** Two points (1 and 2 replicas) × 3 replications of the small scenario. */
  private Path sweep(String extra) throws IOException {
    SmallScenario.write(dir);
    return Files.writeString(dir.resolve("s.yaml"), """
        base: small.yaml
        replications: 3
        axes:
          - path: deployments[0].replicas
            values: [1, 2]
        """ + extra);
  }

  static List<String[]> csv(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(line.split(",", -1)); // the small sweep's cells hold no commas
    }
    return rows;
  }

  static byte[][] outputs(Path out) throws IOException {
    byte[][] bytes = new byte[OUTPUTS.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = Files.readAllBytes(out.resolve(OUTPUTS.get(i)));
    }
    return bytes;
  }

  @Test
  void theSummaryColumnsAreTheIntervalsOfTheRuns() throws IOException {
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("sweep", sweep(""), "--out", out, "--threads", "2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("6 runs (2 points × 3 replications): 6 run, 0 already done, 0 failed");
    List<String[]> runs = csv(out.resolve("sweep.csv"));
    List<String[]> summary = csv(out.resolve("sweep_summary.csv"));
    assertThat(runs).hasSize(1 + 6);
    assertThat(summary).hasSize(1 + 2);
    List<String> head = Arrays.asList(runs.get(0));
    assertThat(head.subList(0, 6)).containsExactly("point", "replication", "seed", "run_hash", "status",
        "set:deployments[0].replicas");
    List<String> summaryHead = Arrays.asList(summary.get(0));
    int checked = 0;
    for (int c = 6; c < head.size(); c++) {
      String metric = head.get(c);
      int meanColumn = summaryHead.indexOf(metric + ".mean");
      assertThat(meanColumn).as(metric).isPositive();
      for (int p = 0; p < 2; p++) {
        double[] values = new double[3];
        for (int rep = 0; rep < 3; rep++) {
          String cell = runs.get(1 + 3 * p + rep)[c];
          values[rep] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        }
        ConfidenceInterval ci = ConfidenceInterval.of(values);
        String mean = summary.get(1 + p)[meanColumn];
        String half = summary.get(1 + p)[meanColumn + 1];
        if (Double.isNaN(ci.mean())) {
          assertThat(mean).isEmpty();
          continue;
        }
        // written with 10 significant digits
        assertThat(Double.parseDouble(mean)).as(metric).isCloseTo(ci.mean(), within(Math.abs(ci.mean()) * 1e-9 + 1e-12));
        assertThat(Double.parseDouble(half)).as(metric)
            .isCloseTo(ci.halfWidth(), within(Math.abs(ci.halfWidth()) * 1e-9 + 1e-12));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
    // replication seeds 42, then (42 + r · 0x9E3779B97F4A7C15) mod 2^63, the same for both points
    assertThat(runs.get(1)[2]).isEqualTo("42");
    assertThat(runs.get(2)[2]).isEqualTo("2177342782468422719");
    assertThat(runs.get(4)[2]).isEqualTo("42");
    // paired: point 1 − point 0 over the three shared seeds
    List<String[]> paired = csv(out.resolve("sweep_paired.csv"));
    assertThat(paired.get(0)).containsExactly("point", "baseline", "metric", "n", "mean_difference", "ci95", "low",
        "high");
    int tput = head.indexOf("throughput.output_tokens_per_s");
    double[] a = new double[3];
    double[] b = new double[3];
    for (int rep = 0; rep < 3; rep++) {
      a[rep] = Double.parseDouble(runs.get(1 + rep)[tput]);
      b[rep] = Double.parseDouble(runs.get(4 + rep)[tput]);
    }
    ConfidenceInterval d = ConfidenceInterval.ofDifferences(a, b);
    assertThat(paired.get(1)[2]).isEqualTo("throughput.output_tokens_per_s");
    assertThat(paired.get(1)[3]).isEqualTo("3");
    assertThat(Double.parseDouble(paired.get(1)[4])).isCloseTo(d.mean(), within(Math.abs(d.mean()) * 1e-9 + 1e-12));
    assertThat(Files.readString(out.resolve("sweep.md"))).contains("## Pareto front: output tokens/s per GPU",
        "## Pareto front: TBT p99 against J per output token", "## Paired differences against point 0");
  }

  /**
   * sweep.html's charts embed the fronts sweep.md tabulates: the front series of each chart holds
   * exactly the Markdown front's points (to the table's 3 decimals), and the points series every
   * point whose runs ended ok.
   */
  @Test
  void sweepHtmlDrawsTheFrontsOfSweepMd() throws IOException {
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("sweep", sweep("gpu_hour_usd: {value: 2, source: \"estimate: a test price\"}\n"), "--out",
        out);
    assertThat(r.code()).as(r.toString()).isZero();
    String md = Files.readString(out.resolve("sweep.md"));
    String html = Files.readString(out.resolve("sweep.html"));
    // the Markdown tables: point | replicas | objectives...
    List<List<String>> throughput = mdTable(md, "## Pareto front: output tokens/s per GPU");
    List<List<String>> cost = mdTable(md, "## Pareto front: TBT p99 against J per output token");
    assertThat(throughput).isNotEmpty();
    assertThat(cost).isNotEmpty();
    JsonNode perGpu = chartJson(html, "chart-front-throughput");
    assertThat(perGpu.get("series").get(0).get("y")).hasSize(2);
    // tokens/s per user across, per GPU up
    assertThat(frontPoints(perGpu)).containsExactlyInAnyOrderElementsOf(pairs(throughput, 3, 2));
    String[][] pairsOfCost = {{"chart-front-cost-0-1", "2", "3"}, {"chart-front-cost-0-2", "2", "4"},
        {"chart-front-cost-1-2", "3", "4"}};
    for (String[] c : pairsOfCost) {
      assertThat(frontPoints(chartJson(html, c[0]))).as(c[0])
          .containsExactlyInAnyOrderElementsOf(pairs(cost, Integer.parseInt(c[1]), Integer.parseInt(c[2])));
    }
  }

  /** The rows of the first Markdown table after {@code heading}, without the head. */
  private static List<List<String>> mdTable(String md, String heading) {
    String rest = md.substring(md.indexOf(heading));
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : rest.split("\n")) {
      if (line.startsWith("|")) {
        inTable = true;
        List<String> cells = new ArrayList<>();
        for (String c : line.substring(1, line.length() - 1).split("\\|")) {
          cells.add(c.strip());
        }
        rows.add(cells);
      } else if (inTable) {
        break;
      }
    }
    return rows.subList(2, rows.size());
  }

  private static List<String> pairs(List<List<String>> rows, int x, int y) {
    List<String> out = new ArrayList<>();
    for (List<String> row : rows) {
      out.add(row.get(x) + " " + row.get(y));
    }
    return out;
  }

  static JsonNode chartJson(String html, String id) throws IOException {
    String open = "<script type=\"application/json\" id=\"" + id + "\">";
    int from = html.indexOf(open);
    assertThat(from).as(id).isNotNegative();
    from += open.length();
    return new ObjectMapper().readTree(html.substring(from, html.indexOf("</script>", from)));
  }

  /** The front series' points as "x y" with 3 decimals, as the Markdown table rounds them. */
  private static List<String> frontPoints(JsonNode chart) {
    JsonNode front = chart.get("series").get(1);
    assertThat(front.get("name").asText()).isEqualTo("Pareto front");
    JsonNode xs = front.has("x") ? front.get("x") : chart.get("x");
    List<String> out = new ArrayList<>();
    double last = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xs.size(); i++) {
      assertThat(xs.get(i).asDouble()).as("joined along x").isGreaterThanOrEqualTo(last);
      last = xs.get(i).asDouble();
      out.add(Decimals.fixed(xs.get(i).asDouble(), 3) + " "
          + Decimals.fixed(front.get("y").get(i).asDouble(), 3));
    }
    return out;
  }

  @Test
  void sameSweepSameBytesWhateverTheThreadsAndARerunRunsNothing() throws IOException {
    Path file = sweep("");
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    assertThat(Cli.run("sweep", file, "--out", one, "--threads", "1").code()).isZero();
    assertThat(Cli.run("sweep", file, "--out", two, "--threads", "2").code()).isZero();
    assertThat(outputs(two)).isDeepEqualTo(outputs(one));
    Cli.Result again = Cli.run("sweep", file, "--out", one);
    assertThat(again.out()).contains("0 run, 6 already done, 0 failed");
    assertThat(outputs(one)).isDeepEqualTo(outputs(two));
  }

  @Test
  void shardsMergedEqualTheUnshardedSweep() throws IOException {
    Path file = sweep("");
    Path whole = dir.resolve("whole");
    assertThat(Cli.run("sweep", file, "--out", whole).code()).isZero();
    Path s1 = dir.resolve("s1");
    Path s2 = dir.resolve("s2");
    Cli.Result r1 = Cli.run("sweep", file, "--out", s1, "--shard", "1/2");
    assertThat(r1.out()).contains("shard 1/2, 3 runs");
    assertThat(s1.resolve("sweep.csv")).doesNotExist();
    assertThat(Cli.run("sweep", file, "--out", s2, "--shard", "2/2").code()).isZero();
    Path merged = dir.resolve("merged");
    Cli.Result m = Cli.run("sweep", "merge", s1, s2, "--out", merged);
    assertThat(m.code()).as(m.toString()).isZero();
    assertThat(outputs(merged)).isDeepEqualTo(outputs(whole));
    assertThat(points(merged)).isEqualTo(points(whole));
    // one shard alone is not the sweep
    Cli.Result half = Cli.run("sweep", "merge", s1, "--out", dir.resolve("half"));
    assertThat(half.code()).isEqualTo(2);
    assertThat(half.errLines()).singleElement().asString()
        .contains("3 runs are in no shard's folder (first: point 0 replication 1)");
  }

  /** Points that resolve to the same scenario share a run hash: run once, however many threads. */
  @Test
  void repeatedPointsRunOnce() throws IOException {
    SmallScenario.write(dir);
    Path file = Files.writeString(dir.resolve("r.yaml"), """
        base: small.yaml
        axes:
          - path: deployments[0].replicas
            values: [2, 2, 2]
        """);
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("sweep", file, "--out", out, "--threads", "2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("3 runs (3 points × 1 replications): 1 run, 2 already done, 0 failed");
    assertThat(points(out)).hasSize(1);
  }

  /** A Latin hypercube of 3 samples over [0.2, 0.5): one rate in each third, [0.2, 0.3), [0.3, 0.4), [0.4, 0.5). */
  @Test
  void aLatinHypercubeSweepRunsItsSamples() throws IOException {
    SmallScenario.write(dir);
    Path file = Files.writeString(dir.resolve("l.yaml"), """
        base: small.yaml
        mode: lhs
        samples: 3
        seed: 5
        axes:
          - path: workload[0].conversations.arrival.rate_per_s
            range: {min: 0.2, max: 0.5}
        """);
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("sweep", file, "--out", out);
    assertThat(r.code()).as(r.toString()).isZero();
    List<String[]> runs = csv(out.resolve("sweep.csv"));
    assertThat(runs).hasSize(4);
    java.util.Set<Integer> thirds = new java.util.HashSet<>();
    for (String[] row : runs.subList(1, 4)) {
      thirds.add((int) Math.floor((Double.parseDouble(row[5]) - 0.2) / 0.1));
      assertThat(row[4]).isEqualTo("ok");
    }
    assertThat(thirds).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void badOptionsAndFoldersAreOneLine() throws IOException {
    Path file = sweep("");
    Cli.Result shard = Cli.run("sweep", file, "--shard", "3/2", "--out", dir.resolve("o"));
    assertThat(shard.code()).isEqualTo(2);
    assertThat(shard.errLines()).containsExactly("tokentherm: --shard: '3/2' is not a shard; allowed: i/N with"
        + " 1 ≤ i ≤ N, e.g. 2/4");
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "mine");
    Cli.Result refused = Cli.run("sweep", file, "--out", mine);
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.errLines()).containsExactly("tokentherm: --out " + mine + ": is a folder that holds no"
        + " earlier sweep (no sweep.json or points/), so nothing will be written into it; allowed: a new folder or"
        + " an earlier sweep's folder");
    try (Stream<Path> s = Files.list(mine)) {
      assertThat(s.toList()).hasSize(1);
    }
  }

  /**
   * A profile axis scales a value marked estimate: factor 1 is the profile as it is (the same run
   * hash as the unperturbed run); a higher idle power raises the GPUs' energy, by at most
   * 8 GPUs × the idle watts added × the window.
   */
  @Test
  void anAxisScalesAProfileEstimate() throws IOException {
    SmallScenario.write(dir);
    Path file = Files.writeString(dir.resolve("p.yaml"), """
        base: small.yaml
        axes:
          - profile: gpus/h100-sxm
            path: active_idle_w
            values: [0.8, 1, 1.2]
        """);
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("sweep", file, "--out", out);
    assertThat(r.code()).as(r.toString()).isZero();
    List<String[]> runs = csv(out.resolve("sweep.csv"));
    List<String> head = Arrays.asList(runs.get(0));
    assertThat(head.get(5)).isEqualTo("set:profile:gpus/h100-sxm:active_idle_w");
    Path plain = Files.writeString(dir.resolve("plain.yaml"), """
        base: small.yaml
        axes:
          - path: seed
            values: [42]
        """);
    assertThat(Cli.run("sweep", plain, "--out", dir.resolve("plain")).code()).isZero();
    assertThat(runs.get(2)[3]).isEqualTo(csv(dir.resolve("plain/sweep.csv")).get(1)[3]);
    int energy = head.indexOf("energy.gpu_j");
    double window = Double.parseDouble(runs.get(1)[head.indexOf("window.length_s")]);
    double[] j = new double[3];
    for (int i = 0; i < 3; i++) {
      j[i] = Double.parseDouble(runs.get(1 + i)[energy]);
    }
    assertThat(j[1]).isGreaterThan(j[0]);
    assertThat(j[2]).isGreaterThan(j[1]);
    // the H100 profile's active_idle_w is 120 W: ±20 % is 24 W per GPU
    assertThat(j[2] - j[1]).isLessThanOrEqualTo(8 * 24 * window * (1 + 1e-9));

    Path spec = Files.writeString(dir.resolve("s.yaml"), """
        base: small.yaml
        axes:
          - profile: gpus/h100-sxm
            path: hbm_gb_per_s
            values: [0.8, 1.2]
        """);
    Cli.Result bad = Cli.run("validate", spec);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.errLines()).singleElement().asString().startsWith(spec + ":4:11: axes[0].path: 'hbm_gb_per_s' in"
        + " gpus/h100-sxm is not marked estimate (source: \"spec: NVIDIA H100 SXM datasheet")
        .endsWith("; allowed: a {value, source} whose source starts with estimate");
  }

  private static List<String> points(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve("points"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }

  /** A profile that changes moves the run hash of the points that read it, and only theirs. */
  @Test
  void aChangedProfileRerunsThePointsThatUseIt() throws IOException {
    Path profiles = dir.resolve("profiles");
    copyTree(Path.of("hardware-profiles"), profiles);
    SmallScenario.write(dir);
    Path file = Files.writeString(dir.resolve("m.yaml"), """
        base: small.yaml
        axes:
          - path: deployments[0].model
            values: [llama-3.1-8b, qwen3-8b]
        """);
    Path out = dir.resolve("out");
    assertThat(Cli.run("sweep", file, "--out", out, "--profiles", profiles).code()).isZero();
    Path qwen = profiles.resolve("models/qwen3-8b.yaml");
    String text = Files.readString(qwen);
    int at = text.indexOf("source: \"");
    assertThat(at).isPositive();
    Files.writeString(qwen, text.substring(0, at + 9) + "changed: " + text.substring(at + 9), StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("sweep", file, "--out", out, "--profiles", profiles);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("2 runs (2 points × 1 replications): 1 run, 1 already done, 0 failed");
    assertThat(points(out)).hasSize(3);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void badSweepFilesGetOneLineErrors() throws IOException {
    SmallScenario.write(dir);
    assertBad("base: small.yaml\nmode: spiral\naxes: [{path: seed, values: [1]}]\n",
        "s.yaml:2:7: mode: unknown value 'spiral'; allowed: grid, zip, random, lhs");
    assertBad("base: nothere.yaml\naxes: [{path: seed, values: [1]}]\n",
        "s.yaml:1:7: base: 'nothere.yaml' (" + dir.resolve("nothere.yaml") + ") is not a file; allowed: a scenario"
            + " file, relative to the sweep file");
    assertBad("base: small.yaml\nmode: zip\naxes:\n  - {path: seed, values: [1, 2]}\n  - {path: horizon_s, values: [5]}\n",
        "s.yaml:5:31: axes[1].values: has 1 values, axes[0] has 2; allowed: as many values on every axis in zip mode");
    assertBad("base: small.yaml\naxes:\n  - {path: horizon_s, range: {min: 1, max: 5}}\n",
        "s.yaml:3:30: axes[0].range: applies to random and lhs modes; allowed: values in grid mode");
    assertBad("base: small.yaml\nmode: lhs\naxes:\n  - {path: horizon_s, range: {min: 1, max: 5}}\n",
        "s.yaml:1:1: samples: is missing; allowed: the number of points to draw in lhs mode (1 to 100000)");
    assertBad("base: small.yaml\naxes:\n  - {path: 'deployments[0]..replicas', values: [1]}\n",
        "s.yaml:3:12: axes[0].path: 'deployments[0]..replicas' is not a field path; allowed: keys and [index]"
            + " joined by dots, e.g. deployments[0].replicas");
    assertBad("base: small.yaml\naxes:\n  - path: deployments[0].replicas\n    values: [2, 0]\n",
        "s.yaml:4:17: axes[0].values[1]: point 1 (deployments[0].replicas=0) does not load: --set"
            + " deployments[0].replicas=0: deployments[0].replicas: 0 is out of range; allowed: an integer ≥ 1");
  }

  private void assertBad(String text, String error) throws IOException {
    Path file = Files.writeString(dir.resolve("s.yaml"), text);
    for (Cli.Result r : List.of(Cli.run("validate", file), Cli.run("sweep", file, "--out", dir.resolve("never")))) {
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).singleElement().isEqualTo(file.getParent() + "/" + error);
    }
    assertThat(dir.resolve("never")).doesNotExist();
  }
}
