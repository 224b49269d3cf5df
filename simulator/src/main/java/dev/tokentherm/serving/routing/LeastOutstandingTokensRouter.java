package dev.tokentherm.serving.routing;

/** The replica with the fewest tokens still to prefill and decode; ties to the lowest number. */
public final class LeastOutstandingTokensRouter implements Router {
  @Override
  public String name() {
    return "least-outstanding-tokens";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int best = 0;
    long bestTokens = view.outstandingTokens(deployment, 0);
    for (int r = 1; r < view.replicas(deployment); r++) {
      long tokens = view.outstandingTokens(deployment, r);
      if (tokens < bestTokens) {
        best = r;
        bestTokens = tokens;
      }
    }
    return best;
  }
}
