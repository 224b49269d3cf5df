package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.serving.Request;
import dev.tokentherm.workload.SyntheticConversations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Common random numbers (docs/DESIGN.md §5): two runs that differ only in
 * policy see the same users doing the same things. Closed-loop users end and start conversations
 * in an order the policy decides, so each user's pause and script must come from streams of their
 * own, indexed by (user, k), not from a shared stream in event order.
 */
class CommonRandomNumbersTest {
  static final String CLOSED_LOOP = """
      name: crn
      horizon_s: 120
      max_drain_s: 3600
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 1,
           scheduler: {policy: vllm-v1, max_num_batched_tokens: 2048, max_num_seqs: 4}}
      workload:
        - target: chat
          conversations:
            arrival: {process: closed-loop, users: 8, user_idle_s: {distribution: exponential, mean: 3}}
            turns: {distribution: geometric, mean: 3}
            user_tokens: {distribution: lognormal, median: 1500, sigma: 1.0, max: 8000}
            model_tokens: {distribution: lognormal, median: 200, sigma: 0.8, max: 1500}
            think_time_s: {distribution: exponential, mean: 2}
      """;

  @Test
  void closedLoopUsersDrawTheSamePausesAndScriptsUnderEveryPolicy() {
    SimTestSupport.Run v1 = SimTestSupport.text(CLOSED_LOOP).run();
    SimTestSupport.Run v0 = SimTestSupport.text(CLOSED_LOOP, "deployments[0].scheduler.policy=vllm-v0").run();
    Map<Integer, List<String>> a = drawsByUser(v1);
    Map<Integer, List<String>> b = drawsByUser(v0);
    assertThat(a.keySet()).hasSize(8).isEqualTo(b.keySet());
    // the load makes the policies interleave the users differently
    assertThat(usersInStartOrder(v1)).isNotEqualTo(usersInStartOrder(v0));
    for (int user : a.keySet()) {
      List<String> x = a.get(user);
      List<String> y = b.get(user);
      int common = Math.min(x.size(), y.size());
      assertThat(common).as("user %d's conversations", user).isGreaterThanOrEqualTo(2);
      assertThat(x.subList(0, common)).as("user %d's (pause, script) pairs", user).isEqualTo(y.subList(0, common));
    }
    InvariantsTest.assertConserved(v1);
    InvariantsTest.assertConserved(v0);
  }

  @Test
  void openArrivalsDrawConversationNByNumberUnderEveryPolicy() {
    // starts come in arrival order, which no policy changes: conversation n is the same everywhere
    String open = CLOSED_LOOP.replace("{process: closed-loop, users: 8, user_idle_s: {distribution: exponential, mean: 3}}",
        "{process: poisson, rate_per_s: 1}");
    Map<Integer, List<String>> a = drawsByUser(SimTestSupport.text(open).run());
    Map<Integer, List<String>> b = drawsByUser(SimTestSupport.text(open, "deployments[0].scheduler.policy=vllm-v0").run());
    assertThat(a.keySet()).containsExactly(-1);
    assertThat(a.get(-1)).hasSizeGreaterThan(50).isEqualTo(b.get(-1));
  }

  /** Per user, by k: the drawn pause before the conversation and every turn's tokens. */
  private static Map<Integer, List<String>> drawsByUser(SimTestSupport.Run run) {
    Map<Long, List<Request>> byConversation = new TreeMap<>();
    for (Request t : run.turns()) {
      byConversation.computeIfAbsent(t.conversation().id(), k -> new ArrayList<>()).add(t);
    }
    Map<Integer, TreeMap<Long, String>> byUser = new TreeMap<>();
    for (List<Request> turns : byConversation.values()) {
      turns.sort(Comparator.comparingInt(Request::turn));
      SyntheticConversations.Script s = (SyntheticConversations.Script) turns.get(0).conversation().script();
      StringBuilder draw = new StringBuilder("pause " + s.pauseBeforeNs() + " ns, " + s.turnCount() + " turns:");
      for (Request t : turns) {
        draw.append(' ').append(t.newTokens()).append('/').append(t.outputTokens());
      }
      assertThat(turns).as("every turn of a drained conversation closes").hasSize(s.turnCount());
      byUser.computeIfAbsent(s.user(), u -> new TreeMap<>()).put(s.number(), draw.toString());
    }
    Map<Integer, List<String>> out = new TreeMap<>();
    byUser.forEach((user, byK) -> {
      assertThat(byK.lastKey()).as("user %d's conversations are numbered 0, 1, …", user).isEqualTo(byK.size() - 1);
      out.put(user, new ArrayList<>(byK.values()));
    });
    return out;
  }

  private static List<Integer> usersInStartOrder(SimTestSupport.Run run) {
    Map<Long, Integer> users = new TreeMap<>();
    for (Request t : run.turns()) {
      users.put(t.conversation().id(), ((SyntheticConversations.Script) t.conversation().script()).user());
    }
    return new ArrayList<>(users.values());
  }
}
