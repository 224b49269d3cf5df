package dev.tokentherm.serving.policy;

import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * The waiting queue's admission discipline: where a request waits, and in what order waiting
 * requests are offered to the replica, which answers each offer (admitted, gone, or no room for it
 * now). The batch policy says whether admission may happen before an iteration ({@link
 * BatchPolicy#mayAdmit}); this one says in which order, and what a request that does not fit does
 * to those behind it. It only moves entries of a deque, so it is tested without a simulation.
 */
public interface AdmissionPolicy {
  /** The replica's answer to an offered request. */
  enum Offer {
    /** Admitted: it leaves the queue. */
    ADMITTED,
    /** No longer waiting (it timed out): it leaves the queue. */
    GONE,
    /** Its KV does not fit now: it stays. */
    NO_ROOM
  }

  /** The replica's side of admission: admits an offered request if it can. */
  interface Admitter<R> {
    Offer offer(R request);
  }

  /** The name scenarios will use. */
  String name();

  /** Queues a request: a new one, or ({@code preempted}) one that lost its KV while running. */
  <R> void enqueue(Deque<R> waiting, R request, boolean preempted);

  /**
   * Offers waiting requests to {@code admitter}, in the policy's order, while {@code seatFree} says
   * one more sequence may run; removes from {@code waiting} those admitted or gone.
   */
  <R> void admit(Deque<R> waiting, BooleanSupplier seatFree, Admitter<R> admitter);
}
