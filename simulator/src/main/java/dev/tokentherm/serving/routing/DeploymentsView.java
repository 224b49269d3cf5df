package dev.tokentherm.serving.routing;

/**
 * What a router may read of the deployments: every deployment of the scenario (not only the one a
 * request arrived at), each with its replicas numbered 0.. in the deployment, read-only.
 */
public interface DeploymentsView {
  /** Deployments, in scenario order. */
  int deployments();

  /** Replicas of a deployment. */
  int replicas(int deployment);

  /** Whether a replica serves: false once it shut down (for good), and no router may choose it then. */
  default boolean live(int deployment, int replica) {
    return true;
  }

  /** The first live replica at or after {@code from}, in turn (wrapping round); -1 when none is live. */
  default int nextLive(int deployment, int from) {
    int n = replicas(deployment);
    for (int i = 0; i < n; i++) {
      int r = (from + i) % n;
      if (live(deployment, r)) {
        return r;
      }
    }
    return -1;
  }

  /** Requests queued on a replica, not yet admitted. */
  int waiting(int deployment, int replica);

  /** Requests admitted on a replica: decoding or prefilling. */
  int running(int deployment, int replica);

  /** Tokens still to prefill and decode for the requests queued or running on a replica. */
  long outstandingTokens(int deployment, int replica);

  /**
   * Prompt tokens the replica's prefix cache holds of a prompt whose prefix blocks have these keys
   * (matched blocks × tokens per block); 0 without keys or without a prefix cache.
   */
  long cachedPrefixTokens(int deployment, int replica, long[] blockKeys);
}
