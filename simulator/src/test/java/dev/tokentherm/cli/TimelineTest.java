package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.metrics.TraceEventRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * timeline.json (outputs.timeline): the trace-event format's rules on quickstart's timeline, its
 * window, the content of a one-request run checked by hand, determinism, and that writing it
 * changes no other output.
 */
class TimelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROFILES = Path.of("hardware-profiles");

  @TempDir
  Path tmp;

  /**
   * One request on one replica: a 1,000-token prompt (one chunk: under max_num_batched_tokens
   * 8,192) and 24 output tokens, the first sampled by the prefill, each other by a decode step.
   */
  private static final String ONE_REQUEST = """
        name: one-request
        horizon_s: 1
        cluster:
          nodes: [{profile: dgx-h100, count: 1}]
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 1}
        workload:
          - target: chat
            conversations:
              arrival: {process: uniform, rate_per_s: 1, max_conversations: 1}
              turns: {distribution: constant, value: 1}
              user_tokens: {distribution: constant, value: 1000}
              model_tokens: {distribution: constant, value: 24}
              think_time_s: {distribution: constant, value: 10}
        outputs: {timeline: true}
        """;

  private Path run(Path scenario, String name, String... sets) {
    Path out = tmp.resolve(name);
    List<Object> args = new ArrayList<>(List.of("run", scenario, "--out", out, "--profiles", PROFILES));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    Cli.Result r = Cli.run(args.toArray());
    assertThat(r.code()).as("%s", r).isZero();
    return out;
  }

  private static List<JsonNode> events(Path out, String ph, String name) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode e : JSON.readTree(out.resolve("timeline.json").toFile()).get("traceEvents")) {
      if (e.get("ph").asText().equals(ph) && (name == null || e.get("name").asText().equals(name))) {
        found.add(e);
      }
    }
    return found;
  }

  /** ts (+ dur) in ns, exactly (the file writes µs with at most three decimals). */
  private static long ns(JsonNode e, String field) {
    return e.get(field).decimalValue().movePointRight(3).longValueExact();
  }

  @Test
  void quickstartsTimelineKeepsTheTraceEventRules() throws Exception {
    Path out = run(Path.of("scenarios/quickstart.yaml"), "q", "outputs.timeline=true");
    JsonNode root = JSON.readTree(out.resolve("timeline.json").toFile());
    assertThat(TraceEventRules.violations(root)).isEmpty();
    assertThat(root.get("displayTimeUnit").asText()).isEqualTo("ms");
    // every kind of event is there: 8 replicas' processes, iterations, requests, flows, counters
    assertThat(events(out, "M", "process_name")).hasSize(8);
    for (String ph : List.of("X", "b", "e", "s", "f", "C")) {
      assertThat(events(out, ph, null)).as(ph).isNotEmpty();
    }
    assertThat(events(out, "C", "gpu 0 power")).isNotEmpty();
    assertThat(events(out, "C", "gpu 0 temperature")).isNotEmpty();
  }

  /** Quickstart over [30 s, 40 s]: every event lies inside the window, and the rules still hold. */
  @Test
  void everyEventLiesInsideTheWindow() throws Exception {
    Path out = run(Path.of("scenarios/quickstart.yaml"), "w", "outputs.timeline=true",
        "outputs.timeline_window_s=[30, 40]");
    JsonNode root = JSON.readTree(out.resolve("timeline.json").toFile());
    assertThat(TraceEventRules.violations(root)).isEmpty();
    int timed = 0;
    for (JsonNode e : root.get("traceEvents")) {
      if (e.get("ph").asText().equals("M")) {
        continue;
      }
      long from = ns(e, "ts");
      long to = e.has("dur") ? from + ns(e, "dur") : from;
      assertThat(from).as("%s", e).isGreaterThanOrEqualTo(30_000_000_000L);
      assertThat(to).as("%s", e).isLessThanOrEqualTo(40_000_000_000L);
      timed++;
    }
    assertThat(timed).isPositive();
  }

  @Test
  void oneRequestsSlicesMeetItsIterations() throws Exception {
    Path scenario = TinyScenario.write(tmp, "one.yaml", ONE_REQUEST);
    Path out = run(scenario, "one");
    assertThat(TraceEventRules.violations(JSON.readTree(out.resolve("timeline.json").toFile()))).isEmpty();
    List<JsonNode> iterations = events(out, "X", null).stream()
        .filter(e -> e.get("cat").asText().equals("iteration")).toList();
    // one prefill, then a decode step for each of the 23 tokens after the first
    assertThat(iterations).hasSize(24);
    assertThat(JSON.readTree(out.resolve("summary.json").toFile()).findValue("iterations").asLong())
        .isEqualTo(iterations.size());
    JsonNode prefill = iterations.get(0);
    assertThat(prefill.get("name").asText()).isEqualTo("prefill");
    assertThat(prefill.get("args").get("prefill_requests").asInt()).isEqualTo(1);
    assertThat(prefill.get("args").get("prefill_tokens").asInt()).isEqualTo(1000);
    assertThat(prefill.get("args").get("decode_requests").asInt()).isZero();
    for (JsonNode decode : iterations.subList(1, 24)) {
      assertThat(decode.get("name").asText()).isEqualTo("decode");
      assertThat(decode.get("args").get("decode_requests").asInt()).isEqualTo(1);
      assertThat(decode.get("args").get("prefill_tokens").asInt()).isZero();
    }
    JsonNode last = iterations.get(23);
    long firstStart = ns(prefill, "ts");
    long prefillEnd = firstStart + ns(prefill, "dur");
    long lastEnd = ns(last, "ts") + ns(last, "dur");

    List<JsonNode> arrivals = events(out, "X", "arrival");
    assertThat(arrivals).hasSize(1);
    long arrival = ns(arrivals.get(0), "ts");
    assertThat(ns(single(out, "b", "request"), "ts")).isEqualTo(arrival);
    assertThat(single(out, "b", "request").get("args").get("status").asText()).isEqualTo("completed");
    // the queue ends when the first iteration starts; the prefill ends with it, the decode with the last
    assertThat(ns(single(out, "b", "queue"), "ts")).isEqualTo(arrival);
    assertThat(ns(single(out, "e", "queue"), "ts")).isEqualTo(firstStart);
    assertThat(ns(single(out, "b", "prefill"), "ts")).isEqualTo(firstStart);
    assertThat(ns(single(out, "e", "prefill"), "ts")).isEqualTo(prefillEnd);
    assertThat(ns(single(out, "b", "decode"), "ts")).isEqualTo(prefillEnd);
    assertThat(ns(single(out, "e", "decode"), "ts")).isEqualTo(lastEnd);
    assertThat(ns(single(out, "e", "request"), "ts")).isEqualTo(lastEnd);
    assertThat(events(out, "b", "loading")).isEmpty();
    // the flow: from the arrival to the first iteration
    assertThat(ns(single(out, "s", null), "ts")).isEqualTo(arrival);
    assertThat(ns(single(out, "f", null), "ts")).isEqualTo(firstStart);
    assertThat(single(out, "f", null).get("tid").asInt()).isEqualTo(prefill.get("tid").asInt());
    // the running batch: one request from the first iteration on, written once (a counter holds its value)
    JsonNode batch = single(out, "C", "running batch");
    assertThat(ns(batch, "ts")).isEqualTo(firstStart);
    assertThat(batch.get("args").get("requests").asInt()).isEqualTo(1);
    // all of it inside the default window, [0 s, 60 s]
    for (JsonNode e : JSON.readTree(out.resolve("timeline.json").toFile()).get("traceEvents")) {
      assertThat(ns(e, "ts")).isBetween(0L, 60_000_000_000L);
    }
  }

  /**
   * Two such requests a second apart (the first done well before the second arrives: 24 tokens of
   * an 8B model take a fraction of a second): the running batch is 1 from each one's first
   * iteration, and 0 from the end of the first one's last iteration, when the replica idles.
   */
  @Test
  void theRunningBatchFallsToZeroWhileTheReplicaIdles() throws Exception {
    String two = TinyScenario.changed(TinyScenario.changed(ONE_REQUEST, "max_conversations: 1", "max_conversations: 2"),
        "horizon_s: 1", "horizon_s: 3");
    Path out = run(TinyScenario.write(tmp, "two.yaml", two), "two");
    assertThat(TraceEventRules.violations(JSON.readTree(out.resolve("timeline.json").toFile()))).isEmpty();
    List<JsonNode> batch = events(out, "C", "running batch");
    assertThat(batch).extracting(e -> e.get("args").get("requests").asInt()).containsExactly(1, 0, 1);
    List<JsonNode> prefills = events(out, "X", "prefill");
    List<JsonNode> requestEnds = events(out, "e", "request");
    assertThat(prefills).hasSize(2);
    assertThat(requestEnds).hasSize(2);
    assertThat(ns(batch.get(0), "ts")).isEqualTo(ns(prefills.get(0), "ts"));
    assertThat(ns(batch.get(1), "ts")).isEqualTo(ns(requestEnds.get(0), "ts"));
    assertThat(ns(batch.get(2), "ts")).isEqualTo(ns(prefills.get(1), "ts"));
    assertThat(ns(requestEnds.get(0), "ts")).isLessThan(ns(prefills.get(1), "ts"));
  }

  private static JsonNode single(Path out, String ph, String name) throws Exception {
    List<JsonNode> found = events(out, ph, name);
    assertThat(found).as("%s %s", ph, name).hasSize(1);
    return found.get(0);
  }

  @Test
  void twoRunsWriteTheSameBytesAndTheTimelineChangesNoOtherOutput() throws Exception {
    Path scenario = TinyScenario.write(tmp, "tiny.yaml", TinyScenario.TEXT);
    Path a = run(scenario, "a", "outputs.timeline=true");
    Path b = run(scenario, "b", "outputs.timeline=true");
    Path without = run(scenario, "c");
    assertThat(Files.mismatch(a.resolve("timeline.json"), b.resolve("timeline.json"))).isEqualTo(-1L);
    assertThat(events(a, "X", null)).isNotEmpty();
    assertThat(Files.exists(without.resolve("timeline.json"))).isFalse();
    // report_series.csv too: the timeline wraps the report's sample sink and must pass every sample on
    for (String file : List.of("summary.json", "conversations.csv", "report_series.csv")) {
      assertThat(Files.mismatch(a.resolve(file), without.resolve(file))).as(file).isEqualTo(-1L);
    }
  }

  @Test
  void aWindowWithoutLengthIsRefusedInOneLine() throws Exception {
    Path scenario = TinyScenario.write(tmp, "tiny.yaml", TinyScenario.TEXT);
    Cli.Result r = Cli.run("run", scenario, "--out", tmp.resolve("x"), "--profiles", PROFILES,
        "--set", "outputs.timeline_window_s=[10, 5]");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).containsExactly("--set outputs.timeline_window_s=[10, 5]: outputs.timeline_window_s:"
        + " ends at 5.0, not after its start 10.0; the window must have a length");
    r = Cli.run("run", scenario, "--out", tmp.resolve("x"), "--profiles", PROFILES,
        "--set", "outputs.timeline_window_s=[5]");
    assertThat(r.errLines()).containsExactly("--set outputs.timeline_window_s=[5]: outputs.timeline_window_s:"
        + " holds 1 number; allowed: two, [start_s, end_s]");
  }
}
