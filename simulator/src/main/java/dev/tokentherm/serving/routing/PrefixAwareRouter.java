package dev.tokentherm.serving.routing;

/**
 * The replica maximising the prompt tokens its prefix cache holds less the tokens already queued
 * there: a long cached prefix wins unless its replica is that much busier (else one replica
 * holding a prefix every prompt shares would take them all). Ties to the lowest number; replicas
 * that shut down are passed over (-1 when none is live).
 */
public final class PrefixAwareRouter implements Router {
  @Override
  public String name() {
    return "prefix-aware";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int best = -1;
    long bestScore = Long.MIN_VALUE;
    for (int r = 0; r < view.replicas(deployment); r++) {
      if (!view.live(deployment, r)) {
        continue; // shut down
      }
      long score = view.cachedPrefixTokens(deployment, r, blockKeys)
          - view.outstandingTokens(deployment, r);
      if (score > bestScore) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  }
}
