package dev.tokentherm.serving.routing;

/**
 * Each request to the next replica in turn (its own counter, apart from where conversations start),
 * passing over replicas that shut down.
 */
public final class RoundRobinRouter implements Router {
  private int next;

  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int chosen = view.nextLive(deployment, next);
    if (chosen >= 0) {
      next = (chosen + 1) % view.replicas(deployment);
    }
    return chosen;
  }
}
