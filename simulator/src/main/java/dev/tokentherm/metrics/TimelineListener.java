package dev.tokentherm.metrics;

import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.serving.Conversation;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.serving.Request;
import dev.tokentherm.serving.ServingListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The serving listener unchanged (every event goes to it first), with arrivals and iterations also
 * to a timeline ({@link TimelineSink#alongside}).
 */
final class TimelineListener implements ServingListener {
  private final ServingListener listener;
  private final TimelineSink timeline;

  TimelineListener(ServingListener listener, TimelineSink timeline) {
    this.listener = listener;
    this.timeline = timeline;
  }

  @Override
  public void requestArrived(Request r) {
    listener.requestArrived(r);
    try {
      timeline.arrived(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void iterationDone(Replica replica, long startNs, long durationNs, IterationCost cost, int tokensOut,
      int windowedDecodes, long gapNs) {
    listener.iterationDone(replica, startNs, durationNs, cost, tokensOut, windowedDecodes, gapNs);
    try {
      timeline.iteration(replica, startNs, durationNs, cost);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void requestRejected(Request r, String reason) {
    listener.requestRejected(r, reason);
  }

  @Override
  public void requestDone(Request r) {
    listener.requestDone(r);
  }

  @Override
  public void requestPreempted(Request r) {
    listener.requestPreempted(r);
  }

  @Override
  public void requestTimedOut(Request r) {
    listener.requestTimedOut(r);
  }

  @Override
  public void requestFailed(Request r) {
    listener.requestFailed(r);
  }

  @Override
  public void replicaShutDown(Replica replica, long nowNs) {
    listener.replicaShutDown(replica, nowNs);
  }

  @Override
  public void conversationEnded(Conversation c) {
    listener.conversationEnded(c);
  }

  @Override
  public void turnClosed(Request r) {
    listener.turnClosed(r);
  }

  @Override
  public void tokenGap(Replica replica, long gapNs) {
    listener.tokenGap(replica, gapNs);
  }
}
