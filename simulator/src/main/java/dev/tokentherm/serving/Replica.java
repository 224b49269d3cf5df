package dev.tokentherm.serving;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.BlockPool;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.metrics.DecodeEnergyLedger;
import dev.tokentherm.metrics.IdleLedger;
import dev.tokentherm.metrics.RangeMax;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.power.GpuMeters;
import it.unimi.dsi.fastutil.objects.ObjectHeapPriorityQueue;
import java.util.ArrayDeque;
import java.util.Comparator;

/**
 * One model replica on its GPUs, with continuous batching in the manner of vLLM V1: every
 * iteration runs all running decodes first, then fills the remaining token budget with prefill
 * chunks in admission order; waiting requests are admitted FIFO while sequences and KV blocks
 * allow.
 *
 * <p>Decodes are held in aggregate (count, summed context, a heap by finishing iteration) so an
 * iteration costs O(prefill chunks + finishing sequences), never a loop over running sequences.
 * A request reserves, at admission, the KV blocks its turn will end with, so a running sequence is
 * never preempted; to admit it, the replica evicts the KV of conversations that are not being
 * served, least recently used first (their next turn recomputes their history).
 */
public final class Replica implements EventHandler {
  private static final long SCHEDULE = 0;
  private static final long ITERATION_END = 1;

  private final int index;
  private final String deployment;
  private final Engine engine;
  private final Roofline roofline;
  private final KvCapacity capacity;
  private final BlockPool blocks;
  private final int maxBatchedTokens;
  private final int maxSeqs;
  private final boolean prefixCaching;
  private final int[] gpus;
  private final double activeIdleW;
  private final GpuMeters meters;
  private final ServingListener listener;
  private final Fleet fleet;
  private final IdleLedger idle;
  private final DecodeEnergyLedger decodeEnergy = new DecodeEnergyLedger();
  private final RangeMax gaps = new RangeMax();

  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private final ArrayDeque<Request> prefilling = new ArrayDeque<>();
  private final ObjectHeapPriorityQueue<Request> decodes = new ObjectHeapPriorityQueue<>(
      Comparator.<Request>comparingLong(r -> r.finishIteration).thenComparingLong(r -> r.k0)
          .thenComparingLong(r -> r.conversation.id));
  private int decodeCount;
  private int windowedDecodes;
  private long decodeContextTokens;
  private long iteration;
  private long evictions;

  // idle conversations first to be evicted: head = least recently used
  private Conversation lruHead;
  private Conversation lruTail;

  // the iteration in flight
  private boolean busy;
  private boolean scheduled;
  private long iterationStartNs;
  private long iterationNs;
  private final BatchWork work = new BatchWork();
  private final IterationCost cost = new IterationCost();
  private Request[] chunkRequest = new Request[16];
  private long[] chunkTokens = new long[16];
  private int chunks;

  public Replica(int index, String deployment, Engine engine, Roofline roofline, KvCapacity capacity,
      int maxBatchedTokens, int maxSeqs, boolean prefixCaching, int[] gpus, double activeIdleW,
      GpuMeters meters, ServingListener listener, Fleet fleet) {
    this.index = index;
    this.deployment = deployment;
    this.engine = engine;
    this.roofline = roofline;
    this.capacity = capacity;
    this.blocks = new BlockPool(capacity.blocks());
    this.maxBatchedTokens = maxBatchedTokens;
    this.maxSeqs = maxSeqs;
    this.prefixCaching = prefixCaching;
    this.gpus = gpus.clone();
    this.activeIdleW = activeIdleW;
    this.meters = meters;
    this.listener = listener;
    this.fleet = fleet;
    this.idle = new IdleLedger(activeIdleW * gpus.length);
  }

  public int index() {
    return index;
  }

  public String deployment() {
    return deployment;
  }

  public KvCapacity capacity() {
    return capacity;
  }

  public BlockPool blocks() {
    return blocks;
  }

  public IdleLedger idleLedger() {
    return idle;
  }

  public long evictions() {
    return evictions;
  }

  public int gpuCount() {
    return gpus.length;
  }

  /** Cluster indices of this replica's GPUs. */
  public int[] gpus() {
    return gpus.clone();
  }

  /** Queues a request; returns a reason when it can never be served here, else null. */
  String submit(Request r, long maxModelLen) {
    long total = r.contextTokens + r.outputTokens;
    if (total > maxModelLen) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " = " + total
          + " tokens exceeds max_model_len " + maxModelLen;
    }
    long needed = capacity.blocksFor(r.finalKvTokens());
    if (needed > blocks.capacity()) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " tokens need " + needed
          + " KV blocks of " + capacity.blockTokens() + " tokens; the replica holds "
          + blocks.capacity() + " (" + capacity.tokens() + " tokens)";
    }
    waiting.addLast(r);
    wake();
    return null;
  }

  private void wake() {
    if (!busy && !scheduled) {
      scheduled = true;
      engine.schedule(engine.now(), Phase.SCHEDULE, index, this, SCHEDULE);
    }
  }

  @Override
  public void onEvent(Engine e, long what) {
    long now = e.now();
    if (what == SCHEDULE) {
      scheduled = false;
      startIteration(now);
    } else {
      endIteration(now);
      startIteration(now);
    }
  }

  private void startIteration(long now) {
    if (busy) {
      return;
    }
    admit(now);
    work.clear();
    chunks = 0;
    work.decodeSeqs = decodeCount;
    work.decodeContextTokens = decodeContextTokens;
    work.samplingSeqs = decodeCount;
    long budget = maxBatchedTokens - (long) decodeCount;
    for (Request r : prefilling) {
      if (budget <= 0) {
        break;
      }
      long chunk = Math.min(budget, r.remainingPrefill());
      long cachedBefore = r.cachedTokens + r.prefilledTokens;
      work.addPrefillChunk(chunk, cachedBefore, chunk == r.remainingPrefill());
      addChunk(r, chunk);
      budget -= chunk;
    }
    if (work.seqs() == 0) {
      return; // nothing to run: the replica idles until a request arrives or is admitted
    }
    roofline.cost(work, cost);
    iterationNs = Durations.toNanos(cost.totalS());
    iterationStartNs = now;
    busy = true;
    idle.setIdle(now, false);
    for (int g : gpus) {
      meters.set(g, now, cost.averagePowerW);
    }
    engine.schedule(now + iterationNs, Phase.COMPLETION, index, this, ITERATION_END);
  }

  private void addChunk(Request r, long tokens) {
    if (chunks == chunkRequest.length) {
      chunkRequest = java.util.Arrays.copyOf(chunkRequest, chunks * 2);
      chunkTokens = java.util.Arrays.copyOf(chunkTokens, chunks * 2);
    }
    chunkRequest[chunks] = r;
    chunkTokens[chunks] = tokens;
    chunks++;
  }

  /** Admits waiting requests FIFO while sequences and KV blocks allow (head-of-line blocking). */
  private void admit(long now) {
    while (!waiting.isEmpty() && decodeCount + prefilling.size() < maxSeqs) {
      Request r = waiting.peekFirst();
      Conversation c = r.conversation;
      lruRemove(c);
      long needed = capacity.blocksFor(r.finalKvTokens()) - c.heldBlocks;
      while (needed > blocks.free() && lruHead != null) {
        evict(lruHead, now);
      }
      if (needed > blocks.free()) {
        if (c.resident) {
          lruPushFront(c); // still not being served: keep its place at the front
        }
        return;
      }
      waiting.pollFirst();
      if (!c.resident) {
        c.resident = true;
        c.idleMark = idle.join(now);
      }
      blocks.allocate(needed);
      c.heldBlocks += needed;
      r.cachedTokens = c.kvTokens;
      prefilling.addLast(r);
    }
  }

  private void endIteration(long now) {
    busy = false;
    long k = iteration++;
    double replicaJ = gpus.length * GpuMeters.joules(cost.averagePowerW, iterationNs);
    int seqs = work.seqs();
    double sharedPerSeq = cost.sharedCost / seqs;
    double perCost = replicaJ / cost.totalCost;
    if (decodeCount > 0) {
      decodeEnergy.addIteration(k, perCost * (sharedPerSeq + cost.decodeSeqCost(0)),
          perCost * cost.perContextTokenCost);
      gaps.push(k, iterationNs);
    }
    int sampled = decodeCount;
    listenerIteration(sampled, now);
    decodeContextTokens += decodeCount;

    while (!decodes.isEmpty() && decodes.first().finishIteration == k) {
      Request r = decodes.dequeue();
      decodeCount--;
      if (r.windowed) {
        windowedDecodes--;
      }
      decodeContextTokens -= r.n0 + (k + 1 - r.k0);
      r.activeJ += decodeEnergy.energySince(r.k0, r.n0, r.markA, r.markB, r.markBk);
      r.maxTbtNs = gaps.maxFrom(r.k0);
      complete(r, now);
    }
    for (int i = 0; i < chunks; i++) {
      Request r = chunkRequest[i];
      long chunk = chunkTokens[i];
      long cachedBefore = r.cachedTokens + r.prefilledTokens;
      boolean samples = chunk == r.remainingPrefill();
      r.activeJ += perCost * (sharedPerSeq + cost.prefillSeqCost(chunk, cachedBefore, samples));
      r.prefilledTokens += chunk;
      chunkRequest[i] = null;
    }
    while (!prefilling.isEmpty() && prefilling.peekFirst().remainingPrefill() == 0) {
      Request r = prefilling.pollFirst();
      r.firstTokenNs = now;
      if (r.outputTokens == 1) {
        r.maxTbtNs = -1;
        complete(r, now);
      } else {
        r.k0 = iteration;
        r.n0 = r.contextTokens;
        r.finishIteration = iteration + r.outputTokens - 2;
        r.markA = decodeEnergy.sumA();
        r.markB = decodeEnergy.sumB();
        r.markBk = decodeEnergy.sumBk();
        decodeCount++;
        if (r.windowed) {
          windowedDecodes++;
        }
        decodeContextTokens += r.n0;
        decodes.enqueue(r);
      }
    }
    chunks = 0;
    idle.setIdle(now, true);
    for (int g : gpus) {
      meters.set(g, now, activeIdleW);
    }
  }

  private void listenerIteration(int decodeTokens, long now) {
    int firstTokens = 0;
    for (int i = 0; i < chunks; i++) {
      if (chunkTokens[i] == chunkRequest[i].remainingPrefill()) {
        firstTokens++;
      }
    }
    listener.iterationDone(this, iterationStartNs, iterationNs, cost, decodeTokens + firstTokens,
        windowedDecodes);
  }

  /** The reply is done: the conversation keeps its KV (or frees it without prefix caching). */
  private void complete(Request r, long now) {
    r.doneNs = now;
    Conversation c = r.conversation;
    c.historyTokens = r.contextTokens + r.outputTokens;
    c.kvTokens = r.finalKvTokens();
    c.active = null;
    listener.requestDone(r);
    if (!prefixCaching) {
      dropKv(c, now);
    }
    fleet.replyDone(c, r, now);
  }

  /** Called by the fleet when a conversation ends or is rejected: frees its KV. */
  void release(Conversation c, long now) {
    lruRemove(c);
    dropKv(c, now);
  }

  /** Makes an idle conversation the most recently used candidate for eviction. */
  void markIdle(Conversation c) {
    if (c.resident) {
      lruRemove(c);
      lruPushBack(c);
    }
  }

  private void evict(Conversation c, long now) {
    lruRemove(c);
    dropKv(c, now);
    evictions++;
  }

  private void dropKv(Conversation c, long now) {
    if (c.heldBlocks > 0) {
      blocks.release(c.heldBlocks);
      c.heldBlocks = 0;
    }
    c.kvTokens = 0;
    if (c.resident) {
      c.resident = false;
      c.idleJ += idle.leave(now, c.idleMark);
    }
  }

  /** The conversation's idle share so far, up to {@code now}. */
  double idleShareJ(Conversation c, long now) {
    return c.idleJ + (c.resident ? idle.shareSince(now, c.idleMark) : 0);
  }

  // --- end of run ---

  /**
   * Closes the books at the end of the run: the energy of an iteration still running goes to
   * unattributed (returned), running decodes receive their share of completed iterations.
   */
  double flush(long now, java.util.function.Consumer<Request> inFlight) {
    idle.advance(now);
    double cut = 0;
    if (busy) {
      cut = gpus.length * GpuMeters.joules(cost.averagePowerW, now - iterationStartNs);
    }
    while (!decodes.isEmpty()) { // the run is over: the heap may be emptied
      Request r = decodes.dequeue();
      r.activeJ += decodeEnergy.energySince(r.k0, r.n0, r.markA, r.markB, r.markBk);
      inFlight.accept(r);
    }
    for (Request r : prefilling) {
      inFlight.accept(r);
    }
    for (Request r : waiting) {
      inFlight.accept(r);
    }
    return cut;
  }

  int waitingCount() {
    return waiting.size();
  }

  int runningCount() {
    return decodeCount + prefilling.size();
  }

  // --- intrusive LRU list of conversations that may be evicted ---

  private void lruPushBack(Conversation c) {
    c.inLru = true;
    c.lruPrev = lruTail;
    c.lruNext = null;
    if (lruTail != null) {
      lruTail.lruNext = c;
    } else {
      lruHead = c;
    }
    lruTail = c;
  }

  private void lruPushFront(Conversation c) {
    c.inLru = true;
    c.lruNext = lruHead;
    c.lruPrev = null;
    if (lruHead != null) {
      lruHead.lruPrev = c;
    } else {
      lruTail = c;
    }
    lruHead = c;
  }

  private void lruRemove(Conversation c) {
    if (!c.inLru) {
      return;
    }
    if (c.lruPrev != null) {
      c.lruPrev.lruNext = c.lruNext;
    } else {
      lruHead = c.lruNext;
    }
    if (c.lruNext != null) {
      c.lruNext.lruPrev = c.lruPrev;
    } else {
      lruTail = c.lruPrev;
    }
    c.lruPrev = null;
    c.lruNext = null;
    c.inLru = false;
  }
}
