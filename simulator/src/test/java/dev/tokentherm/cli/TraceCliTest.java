package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces through the command line: validate reads them row by row; outputs name session and line. */
class TraceCliTest {
  @TempDir
  Path tmp;

  private Path scenario(String trace, String inputTokens) throws IOException {
    Files.writeString(tmp.resolve("trace.csv"), trace);
    return Files.writeString(tmp.resolve("scenario.yaml"), """
        name: traced
        horizon_s: 3600
        max_drain_s: 3600
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 1}
        workload:
          - target: chat
            trace: {format: csv, path: trace.csv, input_tokens: %s}
        outputs: {requests_csv: true}
        """.formatted(inputTokens));
  }

  @Test
  void validateReportsEveryBadRowUpToThreeThenHowManyMore() throws IOException {
    // line 3: not a number; line 5: alice's 10 is not longer than her history 100 + 10; line 6:
    // arrival back in time; line 7: negative output; line 8: too few values
    Path s = scenario("""
        arrival_s,input_tokens,output_tokens,session_id
        0,100,10,alice
        1,x,10,bob
        2,100,10,bob
        3,10,10,alice
        1,100,10,carol
        4,100,-1,dave
        5,100
        6,100,10,erin
        """, "whole");
    Cli.Result r = Cli.run("validate", s, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    List<String> err = r.errLines();
    assertThat(err).hasSize(4);
    String trace = tmp.resolve("trace.csv").toString();
    assertThat(err.get(0)).startsWith(s + ":").contains(": workload[0].trace.path: " + trace + ":3: input_tokens: ");
    assertThat(err.get(1)).contains(trace + ":5: input_tokens: 10 is not longer than session \"alice\"'s history"
        + " so far, 110 tokens");
    assertThat(err.get(2)).contains(trace + ":6: arrival_s: goes back in time");
    assertThat(err.get(3)).isEqualTo("… and 2 more");
  }

  @Test
  void validateSaysOkForAGoodTraceAndReadsItsSemantics() throws IOException {
    Path s = scenario("""
        arrival_s,input_tokens,output_tokens,session_id
        0,100,10,alice
        3,10,10,alice
        """, "new");
    Cli.Result r = Cli.run("validate", s, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.outLines()).containsExactly("ok: " + s);
  }

  @Test
  void requestsAndConversationsCarryTheTraceSessionAndLine() throws IOException {
    Path s = scenario("""
        arrival_s,input_tokens,output_tokens,session_id
        0,100,10,alice

        1,50,5,
        3,20,10,alice
        4,30,10,"bo"b
        """, "new");
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("run", s, "--out", out, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as("%s", r).isZero();
    for (String file : new String[] {"requests.csv", "conversations.csv"}) {
      List<String> lines = Files.readAllLines(out.resolve(file));
      assertThat(lines.get(0)).as(file).endsWith(",trace_session,trace_line,deployment,kv_tier,load_ms,recomputed_tokens")
          .startsWith("conversation,turn,replica,");
      // by the trace line (the last cell): a blank line is counted, as in error messages
      List<String> tails = lines.subList(1, lines.size()).stream()
          .map(l -> l.split(",", 15)[14]) // after the 14 cells of before (a name has no commas)
          .map(t -> t.substring(0, t.lastIndexOf(','))) // less the 3 KV tier cells appended after the deployment
          .map(t -> t.substring(0, t.lastIndexOf(',')))
          .map(t -> t.substring(0, t.lastIndexOf(',')))
          .map(t -> t.substring(0, t.lastIndexOf(','))) // and the deployment
          .sorted((a, b) -> Integer.compare(line(a), line(b))).toList();
      assertThat(tails).as(file).containsExactly("alice,2", ",4", "alice,5", "\"\"\"bo\"\"b\",6");
    }
  }

  private static int line(String tail) {
    return Integer.parseInt(tail.substring(tail.lastIndexOf(',') + 1));
  }
}
