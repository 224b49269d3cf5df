package dev.tokentherm.serving.routing;

/**
 * Chooses the replica for each request of a deployment (registered by name in
 * {@code registry.PolicyRegistry}; one instance per deployment, so a router may keep state such
 * as a round-robin counter). It reads a {@link DeploymentsView} and answers; it moves nothing
 * itself. A conversation moved to another replica leaves its KV behind.
 */
public interface Router {
  /** The name scenarios use ({@code router.policy}). */
  String name();

  /**
   * The replica, numbered within {@code deployment}, that serves the next request: a live one
   * ({@link DeploymentsView#live}; a replica that shut down never serves again), or -1 when the
   * deployment has none (the request fails).
   *
   * @param deployment the deployment the request arrived at
   * @param current the replica its conversation is on (where it started, or last moved to)
   * @param blockKeys the keys of the prompt's prefix blocks (a trace's hashes), or null
   */
  int route(DeploymentsView view, int deployment, int current, long[] blockKeys);
}
