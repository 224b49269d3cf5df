package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.serving.Request;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routers, admission limits and arrival processes in whole runs, with conservation checked. */
class FleetPoliciesTest {

  @Test
  void sessionAffinityKeepsEachConversationOnOneReplica() {
    SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL).run();
    Map<Long, Integer> replicaOf = new HashMap<>();
    for (Request t : run.turns()) {
      Integer before = replicaOf.putIfAbsent(t.conversation().id(), t.conversation().replica().index());
      if (before != null) {
        assertThat(t.conversation().replica().index()).isEqualTo(before);
      }
      if (t.turn() > 0) { // its history stayed cached: the new tokens, the last reply token and the
        // history's partly filled last block are prefilled (unless evicted)
        assertThat(t.prefillTokens()).isLessThanOrEqualTo(t.newTokens() + 16);
      }
    }
    InvariantsTest.assertConserved(run);
  }

  @Test
  void roundRobinSpreadsTurnsAndMovedConversationsRecompute() {
    SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL, "deployments[0].router.policy=round-robin").run();
    Set<Integer> used = new HashSet<>();
    boolean recomputed = false;
    for (Request t : run.turns()) {
      used.add(t.conversation().replica().index());
      recomputed |= t.turn() > 0 && t.prefillTokens() == t.contextTokens();
    }
    assertThat(used).containsExactlyInAnyOrder(0, 1);
    assertThat(recomputed).as("a turn sent to another replica recomputes its history").isTrue();
    InvariantsTest.assertConserved(run);
  }

  @Test
  void roundRobinTakesTheReplicasInTurnWhateverTheStartsDo() {
    // single-turn conversations one after another: the router alternates 0, 1, 0, 1, … because
    // starting a conversation has a counter of its own (a shared one sent every request to 1)
    SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL, "deployments[0].router.policy=round-robin",
        "workload[0].conversations.arrival={process: uniform, rate_per_s: 0.5}",
        "workload[0].conversations.turns={distribution: constant, value: 1}").run();
    List<Request> turns = new java.util.ArrayList<>(run.turns());
    turns.sort(java.util.Comparator.comparingLong(Request::arrivalNs));
    assertThat(turns).hasSizeGreaterThan(20);
    for (int i = 0; i < turns.size(); i++) {
      assertThat(turns.get(i).conversation().replica().index()).as("request %d", i).isEqualTo(i % 2);
    }
    InvariantsTest.assertConserved(run);
  }

  @Test
  void loadAwareRoutersConserveAndServeEverything() {
    for (String router : new String[] {"join-shortest-queue", "least-outstanding-tokens"}) {
      SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL, "deployments[0].router.policy=" + router).run();
      assertThat(run.result().metrics().counters().runRequestsRejected()).as(router).isZero();
      InvariantsTest.assertConserved(run);
    }
  }

  @Test
  void maxQueueRejectsAndQueueTimeoutDropsUnderOverload() {
    // one replica, 40 conversations a second of long prompts: far beyond what it serves
    String[] overload = {"deployments[0].replicas=1", "workload[0].conversations.arrival.rate_per_s=40",
        "workload[0].conversations.user_tokens.median=3000"};
    SimTestSupport.Run queued = SimTestSupport.text(InvariantsTest.SMALL, concat(overload,
        "deployments[0].admission.max_queue=20")).run();
    assertThat(queued.result().metrics().counters().runRequestsRejected()).isPositive();
    assertThat(queued.result().metrics().rejectionSamples().get(0)).contains("queue full: 20 requests waiting");
    InvariantsTest.assertConserved(queued);

    SimTestSupport.Run timed = SimTestSupport.text(InvariantsTest.SMALL, concat(overload,
        "deployments[0].admission.queue_timeout_s=5")).run();
    assertThat(timed.result().metrics().counters().runRequestsTimedOut()).isPositive();
    for (Request t : timed.turns()) { // whoever was served waited less than the timeout
      assertThat(t.ttftNs()).isLessThan(5_000_000_000L + 2_000_000_000L);
    }
    InvariantsTest.assertConserved(timed);
  }

  @Test
  void closedLoopUsersKeepAFixedNumberOfConversationsGoing() {
    SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL,
        "workload[0].conversations.arrival={process: closed-loop, users: 5}").run();
    // each conversation spans its first prompt to its last reply; never more than 5 overlap
    Map<Long, long[]> span = new HashMap<>();
    for (Request t : run.turns()) {
      long[] s = span.computeIfAbsent(t.conversation().id(), k -> new long[] {Long.MAX_VALUE, 0});
      s[0] = Math.min(s[0], t.arrivalNs());
      s[1] = Math.max(s[1], t.doneNs());
    }
    assertThat(span.size()).isGreaterThan(5);
    java.util.TreeMap<Long, Integer> changes = new java.util.TreeMap<>();
    for (long[] s : span.values()) {
      changes.merge(s[0], 1, Integer::sum);
      changes.merge(s[1], -1, Integer::sum);
    }
    int open = 0;
    for (int delta : changes.values()) {
      open += delta;
      assertThat(open).isLessThanOrEqualTo(5);
    }
    InvariantsTest.assertConserved(run);
  }

  @Test
  void burstyAndDiurnalArrivalsConserve() {
    InvariantsTest.assertConserved(SimTestSupport.text(InvariantsTest.SMALL,
        "workload[0].conversations.arrival={process: gamma, rate_per_s: 3, cv: 3}").run());
    InvariantsTest.assertConserved(SimTestSupport.text(InvariantsTest.SMALL,
        "workload[0].conversations.arrival={process: diurnal, rate_per_s: 3, period_s: 60,"
            + " rate_curve: [{t_s: 0, multiplier: 0.2}, {t_s: 30, multiplier: 2}]}").run());
  }

  @Test
  void everyBatchPolicyServesAndConserves() {
    for (String policy : new String[] {"vllm-v1", "sarathi", "vllm-v0", "orca", "decode-priority", "static"}) {
      SimTestSupport.Run run = SimTestSupport.text(InvariantsTest.SMALL, "deployments[0].scheduler.policy=" + policy).run();
      assertThat(run.result().metrics().counters().runRequestsCompleted()).as(policy).isPositive();
      InvariantsTest.assertConserved(run);
    }
  }

  @Test
  void pausingDecodesForPromptsShowsInTheGaps() {
    // vLLM V0 stops the decodes for every whole-prompt iteration; V1 chunks prompts beside them
    SimTestSupport.Run v0 = SimTestSupport.text(InvariantsTest.SMALL, "deployments[0].scheduler.policy=vllm-v0").run();
    SimTestSupport.Run v1 = SimTestSupport.text(InvariantsTest.SMALL).run();
    assertThat(v0.result().metrics().maxTbt().percentileMs(99)).isGreaterThan(v1.result().metrics().maxTbt().percentileMs(99));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
