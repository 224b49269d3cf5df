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
