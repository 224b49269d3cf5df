package dev.tokentherm.serving.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each router on a hand-built view: its choice and its tie-break (the lowest replica number). */
class RoutersTest {
  /** One deployment of replicas with these queues, outstanding tokens and cached prefix tokens. */
  private record View(int[] waiting, int[] running, long[] outstanding, long[] cached)
      implements DeploymentsView {
    @Override
    public int deployments() {
      return 1;
    }

    @Override
    public int replicas(int deployment) {
      return waiting.length;
    }

    @Override
    public int waiting(int deployment, int replica) {
      return waiting[replica];
    }

    @Override
    public int running(int deployment, int replica) {
      return running[replica];
    }

    @Override
    public long outstandingTokens(int deployment, int replica) {
      return outstanding[replica];
    }

    @Override
    public long cachedPrefixTokens(int deployment, int replica, long[] blockKeys) {
      return cached[replica];
    }
  }

  private static final View VIEW = new View(new int[] {3, 1, 0}, new int[] {0, 2, 3},
      new long[] {500, 100, 100}, new long[] {0, 0, 800});

  @Test
  void sessionAffinityStays() {
    assertThat(new SessionAffinityRouter().route(VIEW, 0, 1, null)).isEqualTo(1);
  }

  @Test
  void roundRobinCyclesOnItsOwnCounter() {
    Router router = new RoundRobinRouter();
    int[] chosen = new int[4];
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = router.route(VIEW, 0, 2, null);
    }
    assertThat(chosen).containsExactly(0, 1, 2, 0);
  }

  @Test
  void loadRoutersBreakTiesToTheLowestNumber() {
    assertThat(new JoinShortestQueueRouter().route(VIEW, 0, 2, null)).isEqualTo(0); // 3, 3, 3
    assertThat(new LeastOutstandingTokensRouter().route(VIEW, 0, 0, null)).isEqualTo(1); // 100 = 100
  }

  @Test
  void prefixAwareWeighsCachedTokensAgainstOutstandingOnes() {
    assertThat(new PrefixAwareRouter().route(VIEW, 0, 0, new long[] {1})).isEqualTo(2); // 700
    View cold = new View(VIEW.waiting(), VIEW.running(), VIEW.outstanding(), new long[3]);
    assertThat(new PrefixAwareRouter().route(cold, 0, 0, null)).isEqualTo(1); // -100 first
  }

  /** The same view with some replicas shut down. */
  private record Down(View view, java.util.Set<Integer> down) implements DeploymentsView {
    @Override
    public int deployments() {
      return 1;
    }

    @Override
    public int replicas(int deployment) {
      return view.replicas(deployment);
    }

    @Override
    public boolean live(int deployment, int replica) {
      return !down.contains(replica);
    }

    @Override
    public int waiting(int deployment, int replica) {
      return view.waiting(deployment, replica);
    }

    @Override
    public int running(int deployment, int replica) {
      return view.running(deployment, replica);
    }

    @Override
    public long outstandingTokens(int deployment, int replica) {
      return view.outstandingTokens(deployment, replica);
    }

    @Override
    public long cachedPrefixTokens(int deployment, int replica, long[] blockKeys) {
      return view.cachedPrefixTokens(deployment, replica, blockKeys);
    }
  }

  @Test
  void noRouterChoosesAReplicaThatShutDown() {
    // replica 0 down: the load routers' ties (3, 3, 3 queued; 100 = 100 tokens) go to the lowest live one
    Down zero = new Down(VIEW, java.util.Set.of(0));
    assertThat(new JoinShortestQueueRouter().route(zero, 0, 2, null)).isEqualTo(1);
    assertThat(new LeastOutstandingTokensRouter().route(zero, 0, 0, null)).isEqualTo(1);
    // replica 2 down: the prefix-aware router's best (700) is gone; next 0 − 100 = −100 on replica 1
    Down two = new Down(VIEW, java.util.Set.of(2));
    assertThat(new PrefixAwareRouter().route(two, 0, 0, new long[] {1})).isEqualTo(1);
    // a sticky conversation on replica 1, down, moves to the next live one in turn (2), then 0
    assertThat(new SessionAffinityRouter().route(new Down(VIEW, java.util.Set.of(1)), 0, 1, null)).isEqualTo(2);
    assertThat(new SessionAffinityRouter().route(new Down(VIEW, java.util.Set.of(1, 2)), 0, 1, null)).isEqualTo(0);
    // round-robin passes over replica 1: 0, 2, 0, 2
    Router router = new RoundRobinRouter();
    int[] chosen = new int[4];
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = router.route(new Down(VIEW, java.util.Set.of(1)), 0, 0, null);
    }
    assertThat(chosen).containsExactly(0, 2, 0, 2);
    // none live: every router answers -1 (the request fails)
    Down all = new Down(VIEW, java.util.Set.of(0, 1, 2));
    for (Router r : new Router[] {new SessionAffinityRouter(), new RoundRobinRouter(), new JoinShortestQueueRouter(),
        new LeastOutstandingTokensRouter(), new PrefixAwareRouter()}) {
      assertThat(r.route(all, 0, 1, new long[] {1})).as(r.name()).isEqualTo(-1);
    }
  }
}
