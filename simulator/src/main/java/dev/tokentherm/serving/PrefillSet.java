package dev.tokentherm.serving;

import dev.tokentherm.model.Architecture;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.serving.policy.BatchPlan;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A replica's admitted requests whose prompt is still being computed, in admission order, and the
 * chunks of them that the iteration in flight computes (as its batch policy planned). Counts both
 * sides of the prefill law: the tokens planned at admission (the context less the KV the owner
 * held) and those iterations ran.
 */
final class PrefillSet {
  private final Architecture arch;
  private final EnergyBooks energy;
  private final boolean extraPrefill;
  private final ObjectArrayList<Sequence> prompts = new ObjectArrayList<>();
  private final ObjectArrayList<Sequence> done = new ObjectArrayList<>();
  private Sequence[] chunkSequence = new Sequence[16];
  private long[] chunkTokens = new long[16];
  private int chunks;
  private long tokensPlanned;
  private long tokensRun;

  /** @param extraPrefill a fault: one prefill token too many is planned at each admission */
  PrefillSet(Architecture arch, EnergyBooks energy, boolean extraPrefill) {
    this.arch = arch;
    this.energy = energy;
    this.extraPrefill = extraPrefill;
  }

  int size() {
    return prompts.size();
  }

  Sequence get(int i) {
    return prompts.get(i);
  }

  /** An admitted request starts its prompt; its prefill is planned. */
  void add(Sequence q) {
    tokensPlanned += q.remainingPrefill() + (extraPrefill ? 1 : 0);
    prompts.add(q);
  }

  /** A preempted request leaves, if it is here (else false): what it planned and did not run is unplanned. */
  boolean remove(Sequence q) {
    if (!prompts.remove(q)) {
      return false;
    }
    tokensPlanned -= q.remainingPrefill(); // the readmission plans anew
    return true;
  }

  /**
   * The replica shut down: every prompt leaves unfinished, into {@code failed}; what it had still
   * to run is unplanned, and the chunks of the iteration in flight are lost (never computed).
   */
  void failAll(java.util.List<Sequence> failed) {
    for (int i = 0; i < prompts.size(); i++) {
      Sequence q = prompts.get(i);
      tokensPlanned -= q.remainingPrefill();
      failed.add(q);
    }
    prompts.clear();
    Arrays.fill(chunkSequence, 0, chunks, null);
    chunks = 0;
  }

  /** Adds the planned chunks to the iteration's work, and each prompt's side work the first time. */
  void addChunks(BatchPlan plan, BatchWork work) {
    chunks = 0;
    for (int i = 0; i < prompts.size(); i++) {
      Sequence q = prompts.get(i);
      long chunk = plan.chunk(i);
      if (chunk <= 0) {
        continue;
      }
      Request r = q.request;
      long cachedBefore = r.cachedTokens + q.prefilledTokens;
      work.addPrefillChunk(chunk, cachedBefore, chunk == q.remainingPrefill());
      work.extraTokens += arch.foldsBetween(cachedBefore, cachedBefore + chunk) * arch.foldTokens();
      if (!q.sideWorkCharged) {
        q.sideWorkCharged = true;
        work.extraFlops += arch.embeddingFlops(r.newTokens);
        work.extraCpuS += r.retrievedTokens > 0 ? arch.vectorSearchS() : 0;
      }
      if (chunks == chunkSequence.length) {
        chunkSequence = Arrays.copyOf(chunkSequence, chunks * 2);
        chunkTokens = Arrays.copyOf(chunkTokens, chunks * 2);
      }
      chunkSequence[chunks] = q;
      chunkTokens[chunks] = chunk;
      chunks++;
    }
  }

  /** Chunks of the iteration that end their prompt (each samples a token). */
  int finishingChunks() {
    int n = 0;
    for (int i = 0; i < chunks; i++) {
      if (chunkTokens[i] == chunkSequence[i].remainingPrefill()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The iteration ended: its chunks are charged and computed; returns the prompts now done, in
   * admission order, which leave the set (the caller clears the list once it has served them).
   */
  ObjectArrayList<Sequence> finishChunks() {
    for (int i = 0; i < chunks; i++) {
      Sequence q = chunkSequence[i];
      long chunk = chunkTokens[i];
      energy.chargeChunk(q.request, chunk, q.request.cachedTokens + q.prefilledTokens, chunk == q.remainingPrefill());
      q.prefilledTokens += chunk;
      tokensRun += chunk;
      chunkSequence[i] = null;
    }
    chunks = 0;
    int kept = 0;
    for (int i = 0; i < prompts.size(); i++) { // prompts done leave, the others keep their order
      Sequence q = prompts.get(i);
      if (q.remainingPrefill() > 0) {
        prompts.set(kept++, q);
      } else {
        done.add(q);
      }
    }
    prompts.size(kept);
    return done;
  }

  /** The earlier of {@code oldest} (-1: none) and the arrival of a prompt here still without its first token. */
  long oldestUnservedArrivalNs(long oldest) {
    for (int i = 0; i < prompts.size(); i++) {
      Request r = prompts.get(i).request;
      if (r.firstTokenNs < 0 && (oldest < 0 || r.arrivalNs < oldest)) {
        oldest = r.arrivalNs;
      }
    }
    return oldest;
  }

  // --- the books

  long tokensRun() {
    return tokensRun;
  }

  /** Prefill tokens planned at admission, less those the prompts here have still to run. */
  long tokensPlannedAndRun() {
    long left = 0;
    for (int i = 0; i < prompts.size(); i++) {
      left += prompts.get(i).remainingPrefill();
    }
    return tokensPlanned - left;
  }

  /** Tokens generated by the prompts here (before a preemption). */
  long generatedTokens() {
    long generated = 0;
    for (int i = 0; i < prompts.size(); i++) {
      generated += prompts.get(i).generated;
    }
    return generated;
  }

  /** Reports each prompt here as in flight (end of run); returns how many. */
  long reportUnfinished(Consumer<Request> inFlight) {
    for (int i = 0; i < prompts.size(); i++) {
      inFlight.accept(prompts.get(i).request);
    }
    return prompts.size();
  }
}
