package dev.tokentherm.serving.policy;

import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * The admission policies by name:
 * <ul>
 *   <li>{@code fcfs}: first come, first served with head-of-line blocking (vLLM's waiting queue):
 *       new requests join the back, preempted ones go back to the front, and admission takes the
 *       queue in order and stops at the first request whose KV does not fit.
 * </ul>
 */
public final class AdmissionPolicies {
  private AdmissionPolicies() {}

  public static final AdmissionPolicy FCFS = new AdmissionPolicy() {
    @Override
    public String name() {
      return "fcfs";
    }

    @Override
    public <R> void enqueue(Deque<R> waiting, R request, boolean preempted) {
      if (preempted) {
        waiting.addFirst(request);
      } else {
        waiting.addLast(request);
      }
    }

    @Override
    public <R> void admit(Deque<R> waiting, BooleanSupplier seatFree, Admitter<R> admitter) {
      while (!waiting.isEmpty() && seatFree.getAsBoolean()) {
        if (admitter.offer(waiting.peekFirst()) == Offer.NO_ROOM) {
          return; // head-of-line: the others wait behind it
        }
        waiting.pollFirst();
      }
    }
  };
}
