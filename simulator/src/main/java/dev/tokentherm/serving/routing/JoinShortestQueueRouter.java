package dev.tokentherm.serving.routing;

/** The replica with the fewest waiting + running requests; ties to the lowest number. */
public final class JoinShortestQueueRouter implements Router {
  @Override
  public String name() {
    return "join-shortest-queue";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int best = 0;
    int bestQueue = view.waiting(deployment, 0) + view.running(deployment, 0);
    for (int r = 1; r < view.replicas(deployment); r++) {
      int queue = view.waiting(deployment, r) + view.running(deployment, r);
      if (queue < bestQueue) {
        best = r;
        bestQueue = queue;
      }
    }
    return best;
  }
}
