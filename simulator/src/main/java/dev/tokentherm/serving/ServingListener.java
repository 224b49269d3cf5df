package dev.tokentherm.serving;

import dev.tokentherm.perf.IterationCost;

/** What the serving layer reports as it runs; the metrics package implements it. */
public interface ServingListener {
  void requestArrived(Request r);

  /** The request can never be served on its replica; {@code reason} names the numbers. */
  void requestRejected(Request r, String reason);

  void requestDone(Request r);

  /** A running request lost its KV to make room (it waits again at the front of the queue). */
  void requestPreempted(Request r);

  /** The request waited longer than the deployment's queue timeout and was dropped. */
  void requestTimedOut(Request r);

  /**
   * The request's replica shut down while it waited, ran or was pending behind an earlier turn, or
   * its deployment had no live replica when it arrived: it failed, and its conversation ends.
   */
  void requestFailed(Request r);

  /** The replica shut down at {@code nowNs}: its GPUs are off for good ({@link Replica#shutDown}). */
  void replicaShutDown(Replica replica, long nowNs);

  /** The conversation ended; its idle share is final. */
  void conversationEnded(Conversation c);

  /** The turn's idle window closed (next prompt arrived or the conversation ended) and it is done. */
  void turnClosed(Request r);

  /**
   * An iteration ended: {@code tokensOut} tokens were sampled; {@code windowedDecodes} decode
   * tokens of windowed requests that also decoded in the previous decode step each came a TBT gap
   * of {@code gapNs} after their previous one (the first decode gaps come through {@link #tokenGap}).
   */
  /** One windowed request's gap between its first token (prompt's end) and its second. */
  void tokenGap(Replica replica, long gapNs);

  void iterationDone(Replica replica, long startNs, long durationNs, IterationCost cost,
      int tokensOut, int windowedDecodes, long gapNs);
}
