package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.serving.policy.AdmissionPolicy;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A replica's waiting queue and its admission limits: at submit, a request that could never be
 * served here is rejected with the numbers (the queue is full, it exceeds {@code max_model_len},
 * or its KV could never fit the replica); else it waits, in the {@link AdmissionPolicy}'s order,
 * until the replica admits it or its queue timeout fires (it then leaves the queue lazily). Keeps
 * the count of live waiting requests and the tokens still to serve of those queued or running
 * here (the least-outstanding-tokens router's measure).
 */
final class WaitingQueue {
  private final int index;
  private final Engine engine;
  private final KvCapacity capacity;
  private final ReplicaKv kv;
  private final Fleet fleet;
  private final AdmissionPolicy policy;
  private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
  private int maxQueue;
  private long queueTimeoutNs;
  private int live;
  private long outstandingTokens;
  private long nextSerial;
  private final Long2ObjectOpenHashMap<Sequence> timing = new Long2ObjectOpenHashMap<>();
  private final EventHandler timeouts = (engine, serial) -> timeOut(serial);

  WaitingQueue(int index, Engine engine, KvCapacity capacity, ReplicaKv kv, Fleet fleet, AdmissionPolicy policy) {
    this.index = index;
    this.engine = engine;
    this.capacity = capacity;
    this.kv = kv;
    this.fleet = fleet;
    this.policy = policy;
  }

  /** See {@link Replica#limitAdmission}. */
  void limit(int maxQueue, long queueTimeoutNs) {
    this.maxQueue = maxQueue;
    this.queueTimeoutNs = queueTimeoutNs;
  }

  /** Requests waiting (timed-out ones excluded). */
  int live() {
    return live;
  }

  long outstandingTokens() {
    return outstandingTokens;
  }

  /** Queues a request; returns a reason when it can never be served here, else null. */
  String submit(Request r, long maxModelLen) {
    if (maxQueue > 0 && live >= maxQueue) {
      return "queue full: " + live + " requests waiting on replica " + index
          + "; admission.max_queue is " + maxQueue;
    }
    long total = r.contextTokens + r.outputTokens;
    if (total > maxModelLen) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " = " + total
          + " tokens exceeds max_model_len " + maxModelLen + (maxModelLen == capacity.maxHeldTokens()
              ? " (what the KV cache of a replica holds: " + capacity.blocks() + " blocks of " + capacity.blockTokens()
                  + " tokens)" : "");
    }
    long needed = kv.blocksFor(r);
    if (needed > capacity.blocks()) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " tokens need " + needed
          + " KV blocks of " + capacity.blockTokens() + " tokens; the replica holds "
          + capacity.blocks() + " (" + capacity.tokens() + " tokens)";
    }
    long prompt = capacity.blocksFor(r.contextTokens);
    long watermark = kv.watermarkBlocks();
    if (kv.incremental() && prompt + watermark > capacity.blocks()) { // could never be admitted
      return "context " + r.contextTokens + " tokens need " + prompt + " KV blocks of " + capacity.blockTokens()
          + " tokens + the " + watermark + "-block watermark = " + (prompt + watermark)
          + "; the replica holds " + capacity.blocks();
    }
    Sequence q = new Sequence(r);
    policy.enqueue(waiting, q, false);
    live++;
    q.outstandingCharge = r.contextTokens - r.conversation.kv.tokens() + r.outputTokens;
    outstandingTokens += q.outstandingCharge;
    if (queueTimeoutNs > 0) {
      q.serial = nextSerial++;
      timing.put(q.serial, q);
      q.timeoutHandle = engine.schedule(engine.now() + queueTimeoutNs, Phase.STATE, index, timeouts, q.serial);
    }
    return null;
  }

  /** A request waited past the queue timeout: it leaves the queue (lazily) and its conversation ends. */
  private void timeOut(long serial) {
    Sequence q = timing.remove(serial);
    q.request.timedOut = true;
    q.timeoutHandle = -1;
    live--;
    outstandingTokens -= q.outstandingCharge;
    fleet.timedOut(q.request, engine.now());
  }

  /** Offers the waiting requests for admission in the policy's order (see {@link AdmissionPolicy#admit}). */
  void admit(BooleanSupplier seatFree, AdmissionPolicy.Admitter<Sequence> admitter) {
    policy.admit(waiting, seatFree, admitter);
  }

  /** An offered request was admitted (the policy takes it off the queue): its timeout is cancelled. */
  void admitted(Sequence q) {
    live--;
    if (q.timeoutHandle >= 0) {
      engine.cancel(q.timeoutHandle);
      timing.remove(q.serial);
      q.timeoutHandle = -1;
    }
  }

  /** A preempted sequence waits again (its tokens stay charged). */
  void requeue(Sequence q) {
    policy.enqueue(waiting, q, true);
    live++;
  }

  /** The request is done: its tokens are no longer outstanding. */
  void done(Sequence q) {
    outstandingTokens -= q.outstandingCharge;
  }

  /** When the longest-waiting live request arrived, ns (the head, timed-out ones skipped), or -1. */
  long oldestArrivalNs() {
    for (Sequence q : waiting) {
      if (!q.request.timedOut) {
        return q.request.arrivalNs;
      }
    }
    return -1;
  }

  /**
   * The replica shut down: every live waiting request leaves (its timeout called off), into {@code
   * failed}; nothing is outstanding here any more.
   */
  void failAll(java.util.List<Sequence> failed) {
    for (Sequence q : waiting) {
      if (!q.request.timedOut) {
        if (q.timeoutHandle >= 0) {
          engine.cancel(q.timeoutHandle);
          timing.remove(q.serial);
          q.timeoutHandle = -1;
        }
        failed.add(q);
      }
    }
    waiting.clear();
    live = 0;
    outstandingTokens = 0;
  }

  // --- end of run

  /** Tokens generated so far by the live waiting requests (preempted ones). */
  long generatedTokens() {
    long generated = 0;
    for (Sequence q : waiting) {
      if (!q.request.timedOut) {
        generated += q.generated;
      }
    }
    return generated;
  }

  /** Reports each live waiting request as in flight (one left out with {@code hideOne}, a fault); returns how many. */
  long reportUnfinished(Consumer<Request> inFlight, boolean hideOne) {
    long unfinished = 0;
    boolean hide = hideOne;
    for (Sequence q : waiting) {
      if (!q.request.timedOut) {
        if (hide) {
          hide = false;
          continue;
        }
        inFlight.accept(q.request);
        unfinished++;
      }
    }
    return unfinished;
  }
}
