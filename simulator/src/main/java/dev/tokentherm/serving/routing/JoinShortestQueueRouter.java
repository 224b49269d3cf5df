package dev.tokentherm.serving.routing;

/** The replica with the fewest waiting + running requests; ties to the lowest number; -1 when none is live. */
public final class JoinShortestQueueRouter implements Router {
  @Override
  public String name() {
    return "join-shortest-queue";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int best = -1;
    int bestQueue = 0;
    for (int r = 0; r < view.replicas(deployment); r++) {
      if (!view.live(deployment, r)) {
        continue; // shut down
      }
      int queue = view.waiting(deployment, r) + view.running(deployment, r);
      if (best < 0 || queue < bestQueue) {
        best = r;
        bestQueue = queue;
      }
    }
    return best;
  }
}
