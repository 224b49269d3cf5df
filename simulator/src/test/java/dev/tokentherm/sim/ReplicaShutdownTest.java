package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.metrics.RunCounters;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.TurnSink;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Request;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that shuts down mid-run (the test-only fault {@code shutdown-replica@S}: replica 0, no
 * heating needed): its requests fail, the deployment goes on without it, and every law holds.
 */
public class ReplicaShutdownTest {
  /**
   * Two Llama-3.1-8B replicas on one H100 each; one single-turn conversation every 2 s (uniform at
   * 0.5 per second: conversation k arrives at 2 (k + 1) s, the last at the 60 s horizon, 30 in
   * all) of 200 prompt and 100 reply tokens. Conversations start on replicas 0, 1, 0, … in turn, so
   * each replica gets one every 4 s, served alone (checked below: each takes under a second).
   */
  public static final String ALTERNATING = """
      name: shutdown
      seed: 7
      horizon_s: 60
      max_drain_s: 60
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 2, scheduler: {max_num_batched_tokens: 2048, max_num_seqs: 32}}
      workload:
        - target: chat
          conversations:
            arrival: {process: uniform, rate_per_s: 0.5}
            turns: {distribution: constant, value: 1}
            user_tokens: {distribution: constant, value: 200}
            model_tokens: {distribution: constant, value: 100}
      """;

  /** Replica 0 shuts down 0.3 s after conversation 14 (30 s) arrived on it: it is decoding then. */
  private static final long SHUTDOWN_NS = 30_300_000_000L;
  private static final long ARRIVAL_14_NS = 30_000_000_000L;
  private static final long SHUTDOWN_20_NS = 20_000_000_000L;

  static Faults shutdownAt(long ns) {
    return new Faults(false, false, false, false, false, false, false, false, false, ns, false);
  }

  /**
   * Tokens the request on replica 0 had generated at the shutdown: its prompt's pass samples one
   * at its TTFT, then one per decode step of TPOT; the step in flight at the shutdown is lost, so
   * 1 + ⌊(0.3 s − TTFT) / TPOT⌋, with TTFT and TPOT those of every other (identical, alone on its
   * replica) request. (The step times differ by under 0.003 ms, max TBT − TPOT, and 0.3 s falls
   * 0.19 of a step past a boundary, so the mean step is exact enough.)
   */
  private static long tokensAtShutdown(Request served) {
    return 1 + (long) Math.floor((SHUTDOWN_NS - ARRIVAL_14_NS - served.ttftNs()) / served.tpotNs());
  }

  private static long failedTokens(RunResult r, int replica) {
    for (RunResult.DeploymentBooks d : r.books()) {
      for (RunResult.ReplicaBooks b : d.replicas()) {
        if (b.replica() == replica) {
          return b.books().failedGeneratedTokens();
        }
      }
    }
    throw new AssertionError("no replica " + replica);
  }

  @Test
  void theRequestOnTheReplicaFailsAndTheOthersCompleteOnTheOtherOne() {
    SimTestSupport.Run run = SimTestSupport.text(ALTERNATING).runWithFaults(shutdownAt(SHUTDOWN_NS));
    RunResult r = run.result();
    RunCounters m = r.metrics().counters();
    assertThat(r.cutShort()).as("every conversation ended: no hang").isFalse();
    assertThat(m.runRequestsArrived()).isEqualTo(30);
    assertThat(m.runRequestsFailed()).isEqualTo(1); // conversation 14
    assertThat(m.runRequestsCompleted()).isEqualTo(29);
    assertThat(m.runRequestsRejected() + m.runRequestsTimedOut()).isZero();
    assertThat(m.gpusShutDown()).isEqualTo(1); // tp 1
    Request first = run.turns().get(0);
    for (Request t : run.turns()) {
      long k = t.conversation().id();
      assertThat(k).isNotEqualTo(14);
      assertThat(t.arrivalNs()).isEqualTo(2_000_000_000L * (k + 1));
      // before the shutdown in turn; from conversation 15 (32 s) on, all on replica 1
      assertThat(t.conversation().replica().index()).as("conversation %d", k).isEqualTo(k < 14 ? (int) (k % 2) : 1);
      assertThat(t.e2eNs()).isLessThan(1_000_000_000L); // alone on its replica
      assertThat(t.ttftNs()).isEqualTo(first.ttftNs());
    }
    long failed = tokensAtShutdown(first);
    assertThat(failed).isBetween(2L, 99L); // mid-decode
    assertThat(failedTokens(r, 0)).isEqualTo(failed);
    assertThat(failedTokens(r, 1)).isZero();
    assertThat(m.runOutputTokens()).isEqualTo(29 * 100 + failed);
    // the replica's KV is gone with it: none live on it at the end, none anywhere (every conversation ended)
    assertThat(r.books().get(0).replicas().get(0).books().poolLiveBlocks()).isZero();
    InvariantsTest.assertConserved(run); // energy to 1e-9, KV, requests, tokens, prefill
  }

  @Test
  void aDeploymentWhoseOnlyReplicaShutDownFailsNewArrivals() {
    // one replica: conversation 14 fails while decoding, and conversations 15 to 29 (32 s to 60 s,
    // 15 of them) fail at arrival; 0 to 13 completed before; the run ends with the last failure at 60 s
    SimTestSupport.Run run = SimTestSupport.text(ALTERNATING, "deployments[0].replicas=1")
        .runWithFaults(shutdownAt(SHUTDOWN_NS));
    RunResult r = run.result();
    RunCounters m = r.metrics().counters();
    assertThat(r.cutShort()).isFalse();
    assertThat(r.endNs()).isEqualTo(60_000_000_000L);
    assertThat(m.runRequestsArrived()).isEqualTo(30);
    assertThat(m.runRequestsCompleted()).isEqualTo(14);
    assertThat(m.runRequestsFailed()).isEqualTo(1 + 15);
    assertThat(r.metrics().deployment(0).failed()).isEqualTo(16); // all windowed (no measure block)
    assertThat(r.books().get(0).requests().failed()).isEqualTo(16);
    assertThat(m.runOutputTokens()).isEqualTo(14 * 100 + tokensAtShutdown(run.turns().get(0)));
    InvariantsTest.assertConserved(run);
  }

  @Test
  void conversationsOnTheReplicaMoveOnAndEveryLawHoldsUnderLoad() {
    // multi-turn conversations (session affinity: each sticks to its replica), 20 s into a loaded
    // run; and the same under the other routers and with preemption (recompute, swap) on a small KV
    // (at a load the one replica left still serves: at 8 per second it would be unstable)
    String[][] variants = {{}, {"deployments[0].router.policy=round-robin"},
        {"deployments[0].router.policy=join-shortest-queue", "deployments[0].kv.preemption=swap",
            "deployments[0].kv.num_gpu_blocks=400", "workload[0].conversations.arrival.rate_per_s=4"},
        {"deployments[0].router.policy=prefix-aware", "deployments[0].kv.preemption=recompute",
            "deployments[0].kv.num_gpu_blocks=400", "workload[0].conversations.arrival.rate_per_s=4"}};
    for (String[] sets : variants) {
      SimTestSupport.Loaded loaded = SimTestSupport.text(InvariantsTest.SMALL, sets);
      String what = String.join(" ", sets);
      ServedOn served = new ServedOn(what);
      RunResult r;
      try {
        r = Simulation.runWithFaults(loaded.scenario(), loaded.profiles(), RunSinks.turnsOnly(served), Progress.NONE,
            loaded.baseDir(), shutdownAt(SHUTDOWN_20_NS));
      } catch (SetupException e) {
        throw new IllegalStateException(e);
      }
      SimTestSupport.Run run = new SimTestSupport.Run(r, served.rows);
      assertThat(r.cutShort()).as(what).isFalse();
      assertThat(r.metrics().counters().runRequestsFailed()).as(what).isPositive();
      assertThat(served.moved).as("%s: a conversation served on replica 0 went on on replica 1", what).isTrue();
      InvariantsTest.assertConserved(run);
    }
  }

  @Test
  void aShutdownDuringASwapBackCallsItOffAndEveryLawHolds() {
    // swap preemption on a small KV (the third variant above): replica 0 copies a preempted
    // request's KV back from host memory over 11.590–11.599 s and two over 12.155–12.156 s (seen in
    // a trace of its transfers); shutting down inside them finds requests in transit, whose copy
    // must be called off, their host memory freed and the requests failed like the others
    String[] sets = {"deployments[0].router.policy=join-shortest-queue", "deployments[0].kv.preemption=swap",
        "deployments[0].kv.num_gpu_blocks=400", "workload[0].conversations.arrival.rate_per_s=4"};
    for (long at : new long[] {11_595_000_000L, 12_155_600_000L}) {
      java.util.List<Request> failedSwapped = new java.util.ArrayList<>();
      SimTestSupport.Loaded loaded = SimTestSupport.text(InvariantsTest.SMALL, sets);
      SimTestSupport.Turns turns = new SimTestSupport.Turns();
      dev.tokentherm.metrics.RequestSink rows = new dev.tokentherm.metrics.RequestSink() {
        @Override
        public void request(Request r, String status) {
          if (status.equals("failed") && r.preemptions() > 0 && r.swapTransferNs() > 0) {
            failedSwapped.add(r);
          }
        }

        @Override
        public void close() {}
      };
      RunResult r;
      try {
        r = Simulation.runWithFaults(loaded.scenario(), loaded.profiles(),
            new RunSinks(turns, rows, dev.tokentherm.metrics.SampleSink.NONE), Progress.NONE, loaded.baseDir(),
            shutdownAt(at));
      } catch (SetupException e) {
        throw new IllegalStateException(e);
      }
      assertThat(r.cutShort()).isFalse();
      assertThat(failedSwapped).as("a swapped request failed at %d ns", at).isNotEmpty();
      InvariantsTest.assertConserved(new SimTestSupport.Run(r, turns.rows));
    }
  }

  /**
   * Keeps the turns as they close, each on the replica that served it (a turn closes before its
   * conversation moves): none after the shutdown on replica 0, and whether a conversation served
   * there before went on after it.
   */
  private static final class ServedOn extends SimTestSupport.Turns {
    private final String what;
    private final Map<Long, Integer> onZeroBefore = new HashMap<>();
    boolean moved;

    ServedOn(String what) {
      this.what = what;
    }

    @Override
    public void turn(Request t) {
      super.turn(t);
      int replica = t.conversation().replica().index();
      if (t.arrivalNs() < SHUTDOWN_20_NS) {
        if (replica == 0) {
          onZeroBefore.put(t.conversation().id(), t.turn());
        }
      } else {
        assertThat(replica).as("%s: conversation %d turn %d after the shutdown", what, t.conversation().id(),
            t.turn()).isEqualTo(1);
        moved |= onZeroBefore.containsKey(t.conversation().id());
      }
    }
  }
}
