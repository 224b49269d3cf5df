package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.serving.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trace replay reproduces the trace: its requests, their tokens and their arrival times to the ns. */
class TraceReplayTest {
  static String scenario(String format, String path) {
    return """
        name: replay
        horizon_s: 7200
        max_drain_s: 3600
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 8, router: {policy: least-outstanding-tokens}}
        workload:
          - target: chat
            trace: {format: %s, path: %s}
        """.formatted(format, path);
  }

  @Test
  void azureConversationTraceIsReplayedExactly() {
    // data/traces/AzureLLMInferenceTrace_conv.csv: 19,366 requests, Σ ContextTokens 22,361,870,
    // Σ GeneratedTokens 4,088,665; the 2nd row arrives 4,314,579,000 ns after the first, the last
    // 3,501,721,937,000 ns after it (read directly from the file's 100-ns timestamps)
    SimTestSupport.Run run = SimTestSupport.text(scenario("azure", "data/traces/AzureLLMInferenceTrace_conv.csv")).run();
    List<Request> turns = run.turns().stream().sorted(Comparator.comparingLong(Request::arrivalNs)).toList();
    assertThat(turns).hasSize(19_366);
    assertThat(turns.stream().mapToLong(Request::contextTokens).sum()).isEqualTo(22_361_870L);
    assertThat(turns.stream().mapToLong(Request::outputTokens).sum()).isEqualTo(4_088_665L);
    assertThat(run.result().metrics().counters().runOutputTokens()).isEqualTo(4_088_665L);
    assertThat(turns.get(0).arrivalNs()).isZero();
    assertThat(turns.get(1).arrivalNs()).isEqualTo(4_314_579_000L);
    assertThat(turns.get(turns.size() - 1).arrivalNs()).isEqualTo(3_501_721_937_000L);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void mooncakeTraceHeadIsReplayedExactly() {
    // the first 2,000 rows of data/traces/mooncake_conversation_trace.jsonl: Σ input_length
    // 27,441,774, Σ output_length 704,602, the last at timestamp 669,000 ms
    SimTestSupport.Run run = SimTestSupport.text(scenario("mooncake", "data/traces/mooncake_conversation_trace.jsonl"),
        "workload[0].trace.max_requests=2000").run();
    assertThat(run.turns()).hasSize(2000);
    assertThat(run.turns().stream().mapToLong(Request::contextTokens).sum()).isEqualTo(27_441_774L);
    assertThat(run.turns().stream().mapToLong(Request::outputTokens).sum()).isEqualTo(704_602L);
    assertThat(run.turns().stream().mapToLong(Request::arrivalNs).max().orElseThrow()).isEqualTo(669_000_000_000L);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void sessionsBecomeConversationsWithCachedHistory() {
    // sessions a (0 s: 1,000 in / 50 out; 30 s: 1,300 in), b (0.5 s; 60 s), c (31 s): three
    // conversations; a's second prompt of 1,300 tokens is its 1,050-token history + 250 new
    SimTestSupport.Run run = SimTestSupport.text(scenario("csv", "simulator/src/test/resources/sim/sessions.csv")
        .replace("replicas: 8, router: {policy: least-outstanding-tokens}", "replicas: 1")).run();
    assertThat(run.turns()).hasSize(5);
    assertThat(run.turns().stream().mapToLong(t -> t.conversation().id()).distinct().count()).isEqualTo(3);
    Request aSecond = run.turns().stream().filter(t -> t.arrivalNs() == 30_000_000_000L).findFirst().orElseThrow();
    assertThat(aSecond.turn()).isEqualTo(1);
    assertThat(aSecond.contextTokens()).isEqualTo(1300);
    assertThat(aSecond.newTokens()).isEqualTo(250);
    // the new tokens, the reply's last token and the history's partly filled last block (1,049 KV
    // tokens: 1,049 mod 16 = 9): 250 + 1 + 9 = 260
    assertThat(aSecond.prefillTokens()).isEqualTo(260);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void timedMooncakeReplayReportsItsPrefixHitsNextToTheUnboundedRatio() throws Exception {
    // the first 3,000 requests: with unbounded KV and zero service time (lookup, then insert every
    // request's blocks) they hit some ratio R; timed on 16 replicas with bounded KV, a request
    // misses blocks evicted or still being computed, so it hits less — and routing by prefix hits
    // more than spreading requests round-robin
    int n = 3000;
    dev.tokentherm.kv.prefix.PrefixCache unbounded = dev.tokentherm.kv.prefix.PrefixCache.unbounded(16);
    try (var reader = dev.tokentherm.workload.trace.TraceReaders.open(
        java.nio.file.Path.of("data/traces/mooncake_conversation_trace.jsonl"), dev.tokentherm.workload.trace.TraceFormat.MOONCAKE)) {
      var rec = new dev.tokentherm.workload.trace.TraceRecord();
      for (int i = 0; i < n && reader.next(rec); i++) {
        long[] hashes = new long[rec.hashCount()];
        for (int h = 0; h < hashes.length; h++) {
          hashes[h] = rec.hashId(h);
        }
        long[] keys = new long[dev.tokentherm.kv.prefix.BlockKeys.blocksFor(rec.inputTokens(), 16)];
        int count = dev.tokentherm.kv.prefix.BlockKeys.expand(hashes, hashes.length, rec.inputTokens(), 512, 16, keys);
        unbounded.lookup(keys, count, rec.inputTokens());
        unbounded.insert(keys, count);
      }
    }
    String moon = scenario("mooncake", "data/traces/mooncake_conversation_trace.jsonl")
        .replace("count: 1}", "count: 2}").replace("replicas: 8", "replicas: 16");
    SimTestSupport.Run aware = SimTestSupport.text(moon, "workload[0].trace.max_requests=" + n,
        "deployments[0].router.policy=prefix-aware").run();
    SimTestSupport.Run spread = SimTestSupport.text(moon, "workload[0].trace.max_requests=" + n,
        "deployments[0].router.policy=round-robin").run();
    double timed = (double) aware.result().prefixHitTokens() / aware.result().prefixLookupTokens();
    double roundRobin = (double) spread.result().prefixHitTokens() / spread.result().prefixLookupTokens();
    System.out.printf(java.util.Locale.ROOT, "Mooncake, first %d requests: unbounded %.2f %%, timed prefix-aware %.2f %%,"
        + " timed round-robin %.2f %%%n", n, 100 * unbounded.hitRatio(), 100 * timed, 100 * roundRobin);
    assertThat(aware.result().prefixLookupTokens()).isEqualTo(aware.turns().stream().mapToLong(Request::contextTokens).sum());
    assertThat(timed).isPositive().isLessThanOrEqualTo(unbounded.hitRatio());
    assertThat(timed).isGreaterThan(roundRobin);
    InvariantsTest.assertConserved(aware);
    InvariantsTest.assertConserved(spread);
  }

  @TempDir
  Path tmp;

  @Test
  void aSessionEndsWithItsLastTurn() {
    // sessions.csv: c (31 s) has one turn, a's last is at 30 s, b's at 60 s. A pre-pass knows each
    // session's last row, so c's and a's conversations end with their last replies, in the order
    // they finish, and their idle share stops there (not at the trace's end, 60 s on)
    SimTestSupport.Run run = SimTestSupport.text(scenario("csv", "simulator/src/test/resources/sim/sessions.csv")
        .replace("replicas: 8, router: {policy: least-outstanding-tokens}", "replicas: 1")).run();
    Request c = run.turns().stream().filter(t -> t.arrivalNs() == 31_000_000_000L).findFirst().orElseThrow();
    Request bFirst = run.turns().stream().filter(t -> t.arrivalNs() == 500_000_000L).findFirst().orElseThrow();
    // c ends the moment its reply is out: no idle time (it held its KV to the trace's end before: 1,154 J)
    assertThat(c.idleShareJ()).isZero();
    assertThat(c.conversation().idleJ()).isZero();
    assertThat(bFirst.idleShareJ()).as("b waits 59.5 s for its next turn").isPositive();
    assertThat(run.result().metrics().counters().conversationsEnded()).isEqualTo(3);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void aSessionWithASingleTurnReplays() throws Exception {
    // b has one turn; so has c, the trace's last row (it once ended in a NullPointerException)
    Path trace = tmp.resolve("single.csv");
    Files.writeString(trace, """
        arrival_s,input_tokens,output_tokens,session_id
        0,100,10,a
        1,100,10,b
        2,200,10,a
        3,300,10,c
        """);
    SimTestSupport.Run run = SimTestSupport.text(scenario("csv", trace.toString())
        .replace("replicas: 8, router: {policy: least-outstanding-tokens}", "replicas: 1")).run();
    assertThat(run.turns()).hasSize(4);
    assertThat(run.result().metrics().counters().runRequestsCompleted()).isEqualTo(4);
    InvariantsTest.assertConserved(run);
  }
}
