package dev.tokentherm.serving.policy;

import java.util.SortedSet;

/**
 * Which running request loses its KV when a decode step finds too few free blocks (after eviction
 * of idle KV). The replica preempts the victim, queues it again and asks again while blocks are
 * still short.
 */
public interface PreemptionVictimPolicy {
  /** The name scenarios will use. */
  String name();

  /** The victim among the running requests, never empty, in admission order (first admitted first). */
  <R> R victim(SortedSet<R> running);
}
