package dev.tokentherm.serving;

import dev.tokentherm.serving.routing.DeploymentsView;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleets of all deployments, in scenario order, as routers see them ({@link DeploymentsView}):
 * each fleet joins when it is built, and every router reads all of them.
 */
public final class Fleets implements DeploymentsView {
  private final List<Fleet> fleets = new ArrayList<>();

  /** Adds a fleet; returns its deployment number. */
  int add(Fleet fleet) {
    fleets.add(fleet);
    return fleets.size() - 1;
  }

  private Replica replica(int deployment, int replica) {
    return fleets.get(deployment).replicas().get(replica);
  }

  @Override
  public int deployments() {
    return fleets.size();
  }

  @Override
  public int replicas(int deployment) {
    return fleets.get(deployment).replicas().size();
  }

  @Override
  public boolean live(int deployment, int replica) {
    return !replica(deployment, replica).isShutDown();
  }

  @Override
  public int waiting(int deployment, int replica) {
    return replica(deployment, replica).waitingRequests();
  }

  @Override
  public int running(int deployment, int replica) {
    return replica(deployment, replica).runningRequests();
  }

  @Override
  public long outstandingTokens(int deployment, int replica) {
    return replica(deployment, replica).outstandingTokens();
  }

  @Override
  public long cachedPrefixTokens(int deployment, int replica, long[] blockKeys) {
    Replica r = replica(deployment, replica);
    return (long) r.cachedPrefixBlocks(blockKeys) * r.capacity().blockTokens();
  }
}
