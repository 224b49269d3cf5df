package dev.tokentherm.serving.routing;

/** Each request to the next replica in turn (its own counter, apart from where conversations start). */
public final class RoundRobinRouter implements Router {
  private int next;

  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    int chosen = next;
    next = (next + 1) % view.replicas(deployment);
    return chosen;
  }
}
