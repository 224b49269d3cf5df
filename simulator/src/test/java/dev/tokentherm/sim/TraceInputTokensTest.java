package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.serving.Request;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code trace.input_tokens}: a per-turn CSV trace with sessions replays with correct contexts
 * under {@code new}, and under {@code whole} (the default) fails before the run, on each row whose
 * prompt is not longer than its session's history (it was silently cut to one new token a turn).
 */
class TraceInputTokensTest {
  private static final String TRACE = "simulator/src/test/resources/sim/per-turn-sessions.csv";

  private static String scenario(String inputTokens) {
    return """
        name: per-turn
        horizon_s: 7200
        max_drain_s: 3600
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 1}
        workload:
          - target: chat
            trace: {format: csv, path: %s%s}
        """.formatted(TRACE, inputTokens == null ? "" : ", input_tokens: " + inputTokens);
  }

  @Test
  void perTurnCountsAccumulateUnderNew() {
    // alice: 500 in / 100 out at 0 s; 200 new at 60 s: context 500 + 100 + 200 = 800; 300 new at
    // 120 s after an 80-token reply: 800 + 80 + 300 = 1,180. bob: 50 / 20 at 1 s; 30 new at
    // 130 s: 50 + 20 + 30 = 100
    SimTestSupport.Run run = SimTestSupport.text(scenario("new")).run();
    List<Request> turns = run.turns().stream().sorted(Comparator.comparingLong(Request::arrivalNs)).toList();
    assertThat(turns).extracting(Request::contextTokens).containsExactly(500L, 50L, 800L, 1180L, 100L);
    assertThat(turns).extracting(Request::newTokens).containsExactly(500L, 50L, 200L, 300L, 30L);
    assertThat(turns).extracting(Request::turn).containsExactly(0, 0, 1, 2, 1);
    assertThat(turns).extracting(Request::traceSession).containsExactly("alice", "bob", "alice", "alice", "bob");
    assertThat(turns).extracting(Request::traceLine).containsExactly(2, 3, 4, 5, 6); // file lines, header = 1
    InvariantsTest.assertConserved(run);
  }

  @Test
  void perTurnCountsAreRowErrorsUnderWhole() {
    // alice's history after line 2 is 500 + 100 = 600 > 200; after line 4 (taken as one new token)
    // 600 + 1 + 80 = 681 > 300; bob's after line 3: 50 + 20 = 70 > 30
    for (String input : new String[] {null, "whole"}) {
      assertThatThrownBy(() -> SimTestSupport.text(scenario(input)).run())
          .isInstanceOf(IllegalStateException.class)
          .cause().isInstanceOfSatisfying(SetupException.class, e -> {
            assertThat(e.problems()).extracting(SetupException.Problem::path).containsOnly("workload[0].trace.path");
            assertThat(e.problems()).extracting(SetupException.Problem::message).containsExactly(
                TRACE + ":4: input_tokens: 200 is not longer than session \"alice\"'s history so far, 600 tokens"
                    + " (its previous prompt and reply); allowed: with trace.input_tokens: whole (the default), a"
                    + " later turn's whole prompt, history included, so more than 600; set trace.input_tokens:"
                    + " new if the trace counts each turn's new tokens",
                TRACE + ":5: input_tokens: 300 is not longer than session \"alice\"'s history so far, 681 tokens"
                    + " (its previous prompt and reply); allowed: with trace.input_tokens: whole (the default), a"
                    + " later turn's whole prompt, history included, so more than 681; set trace.input_tokens:"
                    + " new if the trace counts each turn's new tokens",
                TRACE + ":6: input_tokens: 30 is not longer than session \"bob\"'s history so far, 70 tokens"
                    + " (its previous prompt and reply); allowed: with trace.input_tokens: whole (the default), a"
                    + " later turn's whole prompt, history included, so more than 70; set trace.input_tokens:"
                    + " new if the trace counts each turn's new tokens");
            assertThat(e.unlisted()).isZero();
          });
    }
  }
}
