package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentherm.experiment.SmallScenario;
import dev.tokentherm.results.Decimals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@code tokentherm plan} and {@code validate} on plan files: bad plans are one line naming the
 * file, the field path and what is allowed (exit 2, nothing run); a small plan writes plan.csv and
 * plan.md, and run again reads every run back and writes the same bytes.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class PlanCommandTest {
  @TempDir
  Path tmp;

  private static final String PLAN = """
      base: small.yaml
      candidates:
        - name: two
        - name: one
          sets: ["deployments[0].replicas=1"]
      search:
        path: workload[0].conversations.arrival.rate_per_s
        unit: conversations/s
        min: 0.5
        max: 4.5
        tolerance: 2
      replications: 2
      slo:
        bounds: [ttft_p90_ms <= 2000]
        steady_state: false
      objective: gpus
      """;

  @BeforeEach
  void scenario() throws IOException {
    SmallScenario.write(tmp);
  }

  private Path plan(String text) throws IOException {
    return Files.writeString(tmp.resolve("p.yaml"), text);
  }

  private void expectBad(String text, String error) throws IOException {
    Path file = plan(text);
    for (String command : List.of("validate", "plan")) {
      Cli.Result r = command.equals("plan") ? Cli.run("plan", file, "--out", tmp.resolve("out"))
          : Cli.run("validate", file);
      assertThat(r.code()).as(r.toString()).isEqualTo(Main.BAD_INPUT);
      assertThat(r.errLines()).as(r.toString()).containsExactly(error);
      assertThat(r.out()).doesNotContain("probe");
    }
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anUnknownPercentileIsOneLineWithTheAllowedMetrics() throws IOException {
    Path file = tmp.resolve("p.yaml");
    expectBad(PLAN.replace("ttft_p90_ms <= 2000", "ttft_p95_ms <= 2000"), file + ":14:12: slo.bounds[0]: unknown"
        + " metric 'ttft_p95_ms'; did you mean 'ttft_p90_ms'?; allowed: {ttft,tpot,tbt,max_tbt,e2e,queue}_{p50,p90,p99}_ms"
        + " (summary.json latency.<metric>_ms.<percentile>)");
  }

  @Test
  void aMisspelledKeyABadBracketAMissingBaseAndAMissingPrice() throws IOException {
    Path file = tmp.resolve("p.yaml");
    expectBad(PLAN.replace("replications: 2", "replication: 2"), file + ":12:1: replication: unknown field;"
        + " did you mean 'replications'?");
    expectBad(PLAN.replace("max: 4.5", "max: 0.25"), file + ":10:8: search.max: is 0.25, not above min 0.5;"
        + " allowed: a bracket with max > min");
    expectBad(PLAN.replace("base: small.yaml", "base: nothing.yaml"), file + ":1:7: base: 'nothing.yaml' ("
        + tmp.resolve("nothing.yaml") + ") is not a file; allowed: a scenario file, relative to the plan file");
    expectBad(PLAN.replace("objective: gpus", "objective: cost"), file + ":1:1: gpu_hour_usd: has no price for GPU"
        + " profile 'h100-sxm' (candidate 'two'); allowed: gpu_hour_usd: {h100-sxm: {value: USD, source: ...}} or"
        + " the candidate's gpu_hour_usd, as objective: cost needs them");
  }

  @Test
  void aCandidateWhoseScenarioDoesNotLoadIsNamed() throws IOException {
    Path file = tmp.resolve("p.yaml");
    Cli.Result r = Cli.run("validate", plan(PLAN.replace("deployments[0].replicas=1", "deployments[0].replicas=0")));
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).isEqualTo(file + ":5:11: candidates[1].sets: candidate 'one' at"
        + " workload[0].conversations.arrival.rate_per_s=0.5 does not load: --set deployments[0].replicas=0:"
        + " deployments[0].replicas: 0 is out of range; allowed: an integer ≥ 1");
  }

  /** Series {@code k}'s points as "x y", y to 6 decimals (plan.csv's means have 10 significant digits). */
  private static List<String> points(JsonNode chart, int k) {
    JsonNode series = chart.get("series").get(k);
    JsonNode xs = series.has("x") ? series.get("x") : chart.get("x");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      out.add(xs.get(i).asDouble() + " " + Decimals.fixed(series.get("y").get(i).asDouble(), 6));
    }
    return out;
  }

  @Test
  void theShippedPlansValidate() {
    Cli.Result r = Cli.run("validate", "scenarios/sweeps/quickstart-plan.yaml", "scenarios/sweeps/fleet-plan.yaml");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.outLines()).containsExactly("ok: scenarios/sweeps/quickstart-plan.yaml",
        "ok: scenarios/sweeps/fleet-plan.yaml");
  }

  @Test
  void aPlanWritesItsTablesAndARerunReadsEveryRunBack() throws IOException {
    Path out = tmp.resolve("out");
    Cli.Result first = Cli.run("plan", plan(PLAN), "--out", out, "--threads", "2");
    assertThat(first.code()).as(first.toString()).isZero();
    String csv = Files.readString(out.resolve("plan.csv"));
    String md = Files.readString(out.resolve("plan.md"));
    List<String> rows = csv.lines().toList();
    long probes = first.outLines().stream().filter(l -> l.contains(": probe ")).count();
    assertThat(rows.get(0)).startsWith("candidate,probe,value,replications,runs,statuses,steady_windows,"
        + "slo.attainment_mean,slo.attainment_ci95,").endsWith(",stable,slo,reason");
    assertThat(rows).hasSize(1 + (int) probes);
    // the bracket's ends first for each candidate: 0.5 (easy), then 4.5 (hard)
    assertThat(rows.get(1)).startsWith("two,1,0.5,2,");
    assertThat(rows.get(2)).startsWith("two,2,4.5,2,");
    assertThat(md).contains("## Capacities", "| two |", "| one |", "## Ranking by gpus");
    assertThat(first.outLines()).anyMatch(l -> l.startsWith("ranking by gpus: 1. "));
    // plan.html draws candidate two's complete probes: (value, mean attainment) as plan.csv gives them,
    // those passing the SLO in one series and the others in the other
    String html = Files.readString(out.resolve("plan.html"));
    JsonNode chart = SweepCommandTest.chartJson(html, "chart-probes-0");
    List<String> meets = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split(",", -1);
      if (cells[0].equals("two") && !cells[4].isEmpty()) {
        (cells[cells.length - 2].equals("pass") ? meets : misses)
            .add(Double.parseDouble(cells[2]) + " " + Decimals.fixed(Double.parseDouble(cells[7]), 6));
      }
    }
    assertThat(meets).isNotEmpty();
    assertThat(points(chart, 0)).containsExactlyInAnyOrderElementsOf(meets);
    assertThat(points(chart, 1)).containsExactlyInAnyOrderElementsOf(misses);
    long points;
    try (Stream<Path> s = Files.list(out.resolve("points"))) {
      points = s.count();
    }
    Cli.Result again = Cli.run("plan", plan(PLAN), "--out", out);
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.outLines()).filteredOn(l -> l.contains(": probe ")).hasSize((int) probes)
        .allMatch(l -> l.matches(".*\\((\\d+) runs?, \\1 read back.*"));
    assertThat(Files.readString(out.resolve("plan.csv"))).isEqualTo(csv);
    assertThat(Files.readString(out.resolve("plan.md"))).isEqualTo(md);
    assertThat(Files.readString(out.resolve("plan.html"))).isEqualTo(html);
    try (Stream<Path> s = Files.list(out.resolve("points"))) {
      assertThat(s.count()).isEqualTo(points);
    }
    assertThat(again.outLines().get(again.outLines().size() - 1)).contains(" runs, ").contains("read back");
  }

  /** A replica count searched downwards: 4 down to 1 replica all meet a loose bound, so the fewest is at most 1. */
  @Test
  void aReplicaAxisFindsTheFewestReplicas() throws IOException {
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("plan", plan("""
        base: small.yaml
        candidates: [{name: two-gpus}]
        search: {path: "deployments[0].replicas", kind: resources, integer: true, min: 1, max: 4, tolerance: 1,
                 unit: replicas}
        replications: 1
        slo: {attainment: false, bounds: [e2e_p99_ms <= 600000], steady_state: false}
        objective: gpus
        """), "--out", out);
    assertThat(r.code()).as(r.toString()).isZero();
    // easy end first (4 replicas), then the hard end (1)
    assertThat(r.outLines()).filteredOn(l -> l.contains(": probe ")).hasSize(2);
    assertThat(r.outLines()).contains("two-gpus: stable capacity ≤ 1, SLO capacity ≤ 1 replicas");
    String md = Files.readString(out.resolve("plan.md"));
    assertThat(md).contains("| two-gpus | ≤ 1 | ≤ 1 | - | 2 | 2 |", "| load (requests/s) | GPUs |");
  }
}
