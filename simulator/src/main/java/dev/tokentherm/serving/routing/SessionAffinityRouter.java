package dev.tokentherm.serving.routing;

/**
 * A conversation stays on the replica it started on (new conversations start round-robin); if that
 * replica shut down, it moves to the next live one in turn and stays there.
 */
public final class SessionAffinityRouter implements Router {
  @Override
  public String name() {
    return "session-affinity";
  }

  @Override
  public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
    return view.live(deployment, current) ? current : view.nextLive(deployment, current);
  }
}
