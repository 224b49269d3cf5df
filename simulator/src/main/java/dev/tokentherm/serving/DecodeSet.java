package dev.tokentherm.serving;

import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.ContextCurve;
import dev.tokentherm.serving.books.RangeMax;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A replica's running decodes, held in aggregate so that a decode step costs O(events), never a
 * loop over the sequences: their count, Σ g(n) per decode slot ({@code units}, each g piecewise
 * linear in the step, rising by {@code rising} per step), and a heap by the step of each
 * sequence's next event (a breakpoint of one of its curves, or its finish). It counts the decode
 * steps and keeps their token gaps: a sequence's first gap runs from its prompt's end (joiners),
 * later ones from the previous decode step, and its max TBT is read from the gaps of its steps.
 */
final class DecodeSet {
  private final Architecture arch;
  private final EnergyBooks energy;
  private final ServingListener listener;
  private final Replica replica;
  private final long[] units = new long[Architecture.SLOTS];
  private final int[] rising = new int[Architecture.SLOTS];
  private long pendingFoldTokens;
  private final RangeMax gaps = new RangeMax();
  private final PriorityQueue<Sequence> heap = new PriorityQueue<>(
      Comparator.<Sequence>comparingLong(q -> q.nextEventIteration).thenComparingLong(q -> q.k0)
          .thenComparingLong(q -> q.request.conversation.id));
  private int count;
  private int windowed;
  /** Decode steps so far: iterations in which the running decodes took part (all of them under vllm-v1). */
  private long step;
  private long lastStepEndNs = -1;
  /** Sequences that joined since the last decode step (their first gap starts at their prompt's end). */
  private final ObjectArrayList<Sequence> joiners = new ObjectArrayList<>();
  private int windowedJoiners;

  DecodeSet(Architecture arch, EnergyBooks energy, ServingListener listener, Replica replica) {
    this.arch = arch;
    this.energy = energy;
    this.listener = listener;
    this.replica = replica;
  }

  int count() {
    return count;
  }

  int windowed() {
    return windowed;
  }

  /** Decode steps taken so far (the next one's number). */
  long step() {
    return step;
  }

  /** Σ g(n) of slot s over the running decodes. */
  long units(int s) {
    return units[s];
  }

  /** Tokens of compressive-memory folds the decodes owe (one more forward pass each). */
  long pendingFoldTokens() {
    return pendingFoldTokens;
  }

  void clearPendingFolds() {
    pendingFoldTokens = 0;
  }

  /** The running decodes, in no particular order. */
  Iterable<Sequence> sequences() {
    return heap;
  }

  /** A sequence decodes from the next step on: {@code n0} tokens of KV written, {@code steps} steps to go. */
  void join(Sequence q, long n0, long steps) {
    q.k0 = step;
    q.n0 = n0;
    q.finishIteration = step + steps - 1;
    energy.markDecodes(q);
    if (q.segmentStart == null) { // kept for a rejoin after preemption: every slot's entries are set again
      q.segmentStart = new long[Architecture.SLOTS];
      q.segmentValue = new long[Architecture.SLOTS];
      q.segmentSlope = new int[Architecture.SLOTS];
      q.markB = new double[Architecture.SLOTS];
      q.markBk = new double[Architecture.SLOTS];
    }
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        startSegment(q, s, step, n0);
      }
    }
    count++;
    if (q.request.windowed) {
      windowed++;
    }
    q.nextEventIteration = nextEvent(q, step, n0);
    heap.add(q);
    joiners.add(q);
  }

  /**
   * The current decode step ({@link #step}) ends at {@code now}: the sequences that decoded in the
   * previous step get their token the returned gap later (the iteration, or more when prompt-only
   * iterations paused the decodes); the joiners get their second token now, their first gap
   * reported one by one ({@link #windowedJoiners} is how many of them were windowed).
   */
  long endStep(long now) {
    long k = step++;
    long gap = lastStepEndNs < 0 ? 0 : now - lastStepEndNs;
    lastStepEndNs = now;
    windowedJoiners = 0;
    for (int i = 0; i < joiners.size(); i++) {
      Sequence j = joiners.get(i);
      j.firstGapNs = now - j.request.firstTokenNs;
      if (j.request.windowed) {
        windowedJoiners++;
        listener.tokenGap(replica, j.firstGapNs);
      }
    }
    joiners.clear();
    gaps.push(k, gap);
    return gap;
  }

  /** Windowed sequences among the joiners of the last decode step (their gaps were reported one by one). */
  int windowedJoiners() {
    return windowedJoiners;
  }

  /** The step's tokens are out: each curve moves one step along its slope. */
  void advanceUnits() {
    for (int s = 0; s < Architecture.SLOTS; s++) {
      units[s] += rising[s];
    }
  }

  /** The next sequence with an event at {@code boundary}, taken off the heap, or null. */
  Sequence pollEvent(long boundary) {
    return !heap.isEmpty() && heap.peek().nextEventIteration == boundary ? heap.poll() : null;
  }

  /** Takes any sequence off the heap (end of run), or null. */
  Sequence poll() {
    return heap.poll();
  }

  /** A sequence polled at {@code boundary} that goes on decoding: its curves move on, it returns to the heap. */
  void crossBreakpoint(Sequence q, long boundary) {
    long n = q.n0 + (boundary - q.k0);
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (!arch.hasSlot(s)) {
        continue;
      }
      ContextCurve curve = arch.slotCurve(s);
      long projected = q.segmentValue[s] + q.segmentSlope[s] * (boundary - q.segmentStart[s]);
      if (curve.value(n) != projected || curve.slope(n) != q.segmentSlope[s]) {
        if (s == 0 && curve.segment() > 0 && curve.value(n) < projected) {
          pendingFoldTokens += curve.segment(); // compressive memory folds a segment: one more forward pass
        }
        endSegment(q, s, boundary);
        startSegment(q, s, boundary, n);
      }
    }
    q.nextEventIteration = nextEvent(q, boundary, n);
    heap.add(q);
  }

  /** A sequence polled off the heap leaves the decodes before {@code boundary}: its energy and max TBT. */
  void finish(Sequence q, long boundary) {
    count--;
    if (q.request.windowed) {
      windowed--;
    }
    leave(q, boundary);
  }

  /** A running decode is preempted now: it leaves the heap and the joiners; returns the steps it took. */
  long preempt(Sequence q) {
    heap.remove(q);
    joiners.remove(q);
    long steps = step - q.k0;
    leave(q, step);
    count--;
    if (q.request.windowed) {
      windowed--;
    }
    return steps;
  }

  private void leave(Sequence q, long boundary) {
    energy.chargeDecodes(q);
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        endSegment(q, s, boundary);
      }
    }
    Request r = q.request;
    r.maxTbtNs = Math.max(r.maxTbtNs, Math.max(q.firstGapNs, gaps.maxFrom(q.k0 + 1)));
  }

  private void startSegment(Sequence q, int s, long boundary, long n) {
    ContextCurve curve = arch.slotCurve(s);
    q.segmentStart[s] = boundary;
    q.segmentValue[s] = curve.value(n);
    q.segmentSlope[s] = curve.slope(n);
    energy.markSlot(q, s);
    units[s] += q.segmentValue[s];
    rising[s] += q.segmentSlope[s];
  }

  /** Closes slot s's segment before {@code boundary}: its energy, and its part of the aggregates. */
  private void endSegment(Sequence q, int s, long boundary) {
    energy.chargeSlot(q, s);
    units[s] -= q.segmentValue[s] + q.segmentSlope[s] * (boundary - q.segmentStart[s]);
    rising[s] -= q.segmentSlope[s];
  }

  /** The next boundary at which q finishes or one of its curves changes slope or jumps. */
  private long nextEvent(Sequence q, long boundary, long n) {
    long next = q.finishIteration + 1;
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        long nb = arch.slotCurve(s).nextBreak(n);
        if (nb != Long.MAX_VALUE) {
          next = Math.min(next, boundary + (nb - n));
        }
      }
    }
    return next;
  }
}
