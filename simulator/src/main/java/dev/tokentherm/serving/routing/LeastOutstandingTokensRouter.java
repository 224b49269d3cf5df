package dev.tokentherm.serving.routing;

/** The replica with the fewest tokens still to prefill and decode; ties to the lowest number; -1 when none is live. */
public final class LeastOutstandingTokensRouter implements Router {
  @Override
  public String name() {
    return "least-outstanding-tokens";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int best = -1;
    long bestTokens = 0;
    for (int r = 0; r < view.replicas(deployment); r++) {
      if (!view.live(deployment, r)) {
        continue; // shut down
      }
      long tokens = view.outstandingTokens(deployment, r);
      if (best < 0 || tokens < bestTokens) {
        best = r;
        bestTokens = tokens;
      }
    }
    return best;
  }
}
