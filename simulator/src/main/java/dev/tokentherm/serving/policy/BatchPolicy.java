package dev.tokentherm.serving.policy;

/**
 * How a replica forms each iteration's batch (the scheduler of a serving engine). A policy reads a
 * {@link ReplicaView} and fills a {@link BatchPlan}; it never schedules events, so it can be tested
 * on hand-built views. Admission itself (in the {@link AdmissionPolicy}'s order, while sequences
 * and KV blocks allow) belongs to the replica; a batch policy only says whether it may happen now.
 */
public interface BatchPolicy {
  /** The name scenarios use ({@code scheduler.policy}). */
  String name();

  /** Whether waiting requests may be admitted before this iteration. */
  default boolean mayAdmit(ReplicaView v) {
    return true;
  }

  void plan(ReplicaView v, BatchPlan out);

  /** Chunks: each prefilling request in order gets min(remaining, budget left), up to {@code maxChunks}. */
  static long chunked(ReplicaView v, BatchPlan out, long budget, int maxChunks) {
    int given = 0;
    for (int i = 0; i < v.prefilling() && budget > 0 && given < maxChunks; i++) {
      long c = Math.min(budget, v.remainingPrefill(i));
      out.chunk(i, c);
      budget -= c;
      given++;
    }
    return budget;
  }

  /**
   * Whole prompts in admission order while they fit the budget; the first is taken even when it is
   * larger than the budget if nothing else is in the batch (else it could never run).
   */
  static void whole(ReplicaView v, BatchPlan out, long budget, boolean batchEmpty) {
    for (int i = 0; i < v.prefilling(); i++) {
      long c = v.remainingPrefill(i);
      if (c > budget && !(batchEmpty && i == 0)) {
        return; // first come, first served: later prompts do not jump ahead
      }
      out.chunk(i, c);
      budget -= c;
    }
  }
}
