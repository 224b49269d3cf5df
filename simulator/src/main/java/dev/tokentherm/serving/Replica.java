package dev.tokentherm.serving;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.BlockPool;
import dev.tokentherm.kv.EvictionPolicies;
import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.kv.KvMemory;
import dev.tokentherm.kv.KvSegment;
import dev.tokentherm.serving.books.DecodeEnergyLedger;
import dev.tokentherm.serving.books.IdleLedger;
import dev.tokentherm.serving.books.RangeMax;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.ContextCurve;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.serving.policy.BatchPlan;
import dev.tokentherm.serving.policy.BatchPolicy;
import dev.tokentherm.serving.policy.ReplicaView;
import java.util.ArrayDeque;
import java.util.Comparator;

/**
 * One model replica on its GPUs, with continuous batching: its {@link BatchPolicy} plans each
 * iteration (decodes in or out, a prompt chunk per prefilling request); waiting requests are
 * admitted FIFO while sequences and KV blocks allow.
 *
 * <p>Decodes are held in aggregate (count, summed context per decode slot, a heap by the decode
 * step of each sequence's next event) so an iteration costs O(prefill chunks + events), never a
 * loop over running sequences. Its KV memory has one owner, {@link KvMemory}: to admit a request
 * it evicts unpinned blocks (idle conversations' KV, cached prefix blocks) in the eviction policy's
 * order, and a conversation's next turn recomputes what was evicted. A request either reserves at
 * admission the KV blocks its turn ends with, or (with preemption) takes blocks as its KV grows
 * and may be preempted; see {@link #enablePreemption}. A replica that can admit nothing while
 * nothing runs reports itself stalled ({@link #stallReport}) instead of waiting forever.
 */
public final class Replica implements EventHandler {
  private static final long SCHEDULE = 0;
  private static final long ITERATION_END = 1;

  private final int index;
  private final String deployment;
  private final Engine engine;
  private final Roofline roofline;
  private final KvCapacity capacity;
  private final KvMemory kv;
  private final Faults faults;
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
  private final Architecture arch;
  private final long[] units = new long[Architecture.SLOTS];
  private final int[] rising = new int[Architecture.SLOTS];
  private final double[] slotRate = new double[Architecture.SLOTS];
  private static final double[] NO_UNITS = new double[Architecture.SLOTS];
  private long pendingFoldTokens;
  private final RangeMax gaps = new RangeMax();

  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private final it.unimi.dsi.fastutil.objects.ObjectArrayList<Request> prefilling =
      new it.unimi.dsi.fastutil.objects.ObjectArrayList<>();
  private final java.util.PriorityQueue<Request> decodes = new java.util.PriorityQueue<>(
      Comparator.<Request>comparingLong(r -> r.nextEventIteration).thenComparingLong(r -> r.k0)
          .thenComparingLong(r -> r.conversation.id));
  private int decodeCount;
  private int windowedDecodes;
  /** Decode steps so far: iterations in which the running decodes took part (all of them under vllm-v1). */
  private long decodeStep;
  private long lastDecodeEndNs = -1;
  /** Sequences that joined the decodes since the last decode step (their first gap starts at their prompt's end). */
  private final it.unimi.dsi.fastutil.objects.ObjectArrayList<Request> joiners =
      new it.unimi.dsi.fastutil.objects.ObjectArrayList<>();
  private boolean decodesInIteration;
  private final BatchPolicy policy;
  private final BatchPlan plan = new BatchPlan();
  private final it.unimi.dsi.fastutil.objects.ObjectArrayList<Request> promptDone =
      new it.unimi.dsi.fastutil.objects.ObjectArrayList<>();
  private final ReplicaView view = new ReplicaView() {
    @Override
    public int decodes() {
      return decodeCount;
    }

    @Override
    public int prefilling() {
      return prefilling.size();
    }

    @Override
    public long remainingPrefill(int i) {
      return prefilling.get(i).remainingPrefill();
    }

    @Override
    public boolean prefillStarted(int i) {
      return prefilling.get(i).prefilledTokens > 0;
    }

    @Override
    public int maxBatchedTokens() {
      return maxBatchedTokens;
    }

    @Override
    public int maxSeqs() {
      return maxSeqs;
    }
  };
  // the books the conservation checks read (counted where the work happens)
  private long tokensEmitted;
  private long prefillTokensRun;
  private long prefillTokensPlanned;
  private long completedOutputTokens;
  // a stall: requests wait, nothing runs, nothing could free memory
  private static final long STALL_NS = 60_000_000_000L;
  private long stallSinceNs = -1;
  private String stallDetail;
  private String stallReport;
  private final EventHandler stallCheck = (engine, arg) -> checkStall();

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
      BatchPolicy policy, int maxBatchedTokens, int maxSeqs, boolean prefixCaching, int[] gpus, double activeIdleW,
      GpuMeters meters, ServingListener listener, Fleet fleet, EvictionPolicy eviction, boolean tailFirst,
      Faults faults) {
    this.index = index;
    this.deployment = deployment;
    this.engine = engine;
    this.roofline = roofline;
    this.arch = roofline.architecture();
    this.capacity = capacity;
    this.faults = faults;
    this.kv = new KvMemory(capacity, prefixCaching, faults.refuseEviction() ? EvictionPolicies.REFUSE : eviction,
        tailFirst, this::segmentEvicted);
    this.policy = policy;
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

  /** The deployment's number (its place in the scenario), for per-deployment figures; 0 unless set. */
  private int deploymentIndex;

  public int deploymentIndex() {
    return deploymentIndex;
  }

  /** Sets the deployment's number (setup only). */
  public void deploymentIndex(int index) {
    this.deploymentIndex = index;
  }

  public KvCapacity capacity() {
    return capacity;
  }

  /** The counters of the replica's KV blocks (taken and freed through {@link #kvMemory}). */
  public BlockPool blocks() {
    return kv.pool();
  }

  /** The owner of the replica's KV memory. */
  public KvMemory kvMemory() {
    return kv;
  }

  public IdleLedger idleLedger() {
    return idle;
  }

  /** Conversations whose KV was evicted whole. */
  public long evictions() {
    return kv.segmentsEvicted();
  }

  public int gpuCount() {
    return gpus.length;
  }

  /** Cluster indices of this replica's GPUs. */
  public int[] gpus() {
    return gpus.clone();
  }

  /** Admission limits of the deployment: most waiting requests (≤ 0: none), queue timeout (0: none). */
  void limitAdmission(int maxQueue, long queueTimeoutNs) {
    this.maxQueue = maxQueue;
    this.queueTimeoutNs = queueTimeoutNs;
  }

  /**
   * Preemption ({@code kv.preemption}): none = a request reserves at admission the blocks its turn
   * ends with; recompute / swap = it takes its prompt's blocks at admission and one more whenever a
   * decode step starts a new block (counted in aggregate by the residue of its position), and when
   * a step finds too few free blocks, after evicting idle conversations' KV, the most recently
   * admitted running request is preempted (vLLM's victim): its KV is dropped and recomputed later
   * with its generated tokens, or swapped to host memory over the host link and back: each copy a
   * timed transfer of the swapped request alone (B bytes per GPU take B / host-link bandwidth, one
   * transfer at a time on the replica's links, the GPUs' links in parallel) while the other
   * sequences keep running; the KV needs room in the node's host memory, else the victim is
   * recomputed instead (counted in its books, {@code kv.swap_fallbacks}).
   */
  public void enablePreemption(boolean swapToHost, double hostLinkBytesPerS, double watermark, HostMemory host) {
    this.incremental = true;
    this.swap = swapToHost;
    this.hostLinkBytesPerS = hostLinkBytesPerS;
    this.host = host;
    this.watermarkBlocks = (long) Math.ceil(watermark * capacity.blocks());
    this.residueCount = new int[capacity.blockTokens()];
  }

  /**
   * Prefix caching across conversations for prompts whose blocks carry keys (a trace's hashes):
   * a radix tree of blocks with vLLM's semantics (a block is reusable once computed), a tenant of
   * the replica's {@link KvMemory} beside the conversations' segments.
   */
  private long nextUniqueKey = -1;

  /** Blocks of the prompt's cached prefix here (0 without keys): the prefix-aware router's measure. */
  public int cachedPrefixBlocks(long[] keys) {
    return kv.prefix() == null || keys == null ? 0 : kv.prefix().match(keys, keys.length);
  }

  /** Prompt tokens found in the prefix cache, and looked up. */
  public long prefixHitTokens() {
    return kv.prefix() == null ? 0 : kv.prefix().hitTokens();
  }

  /** Blocks the prefix cache holds (cached or pinned), and those pinned by running requests. */
  public long prefixLiveBlocks() {
    return kv.prefixBlocks();
  }

  public long prefixPinnedBlocks() {
    return kv.prefix() == null ? 0 : kv.prefix().pinnedBlocks();
  }

  public long prefixLookupTokens() {
    return kv.prefix() == null ? 0 : kv.prefix().hitTokens() + kv.prefix().missTokens();
  }

  /**
   * Pins a keyed prompt's blocks (cached ones shared) plus fresh blocks: for its reply too without
   * preemption, else for the prompt alone (growth takes the reply's). False if they do not fit
   * now. The prompt's cached prefix becomes its cached tokens.
   */
  private boolean admitKeyed(Request r, long now) {
    int promptBlocks = r.blockKeys.length;
    long n0 = r.contextTokens + r.recomputeTokens;
    int total = (int) Math.max(promptBlocks, incremental ? capacity.blocksFor(n0) : blocksFor(r));
    long[] keys = java.util.Arrays.copyOf(r.blockKeys, total);
    for (int i = promptBlocks; i < total; i++) {
      keys[i] = nextUniqueKey--; // reply blocks: never shared (negative keys, apart from hashes)
    }
    if (!kv.acquire(keys, total, incremental ? watermarkBlocks : 0, now)) {
      return false;
    }
    long hit = kv.prefix().lookup(keys, promptBlocks, r.contextTokens);
    r.pinnedKeys = keys;
    r.pinnedCount = total;
    r.cachedTokens = Math.min(hit, n0 - 1); // the last prompt token is always computed
    return true;
  }

  private boolean incremental;
  private boolean swap;
  private double hostLinkBytesPerS;
  private long watermarkBlocks;
  private int[] residueCount = new int[0];
  private long preemptions;
  private HostMemory host;
  /** When the replica's host links are free of the transfer in flight, ns. */
  private long hostLinkFreeNs;
  private long swapFallbacks;
  private long nextTransferSerial;
  /** Requests whose KV is coming back from host memory, by transfer serial. */
  private final it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap<Request> loading =
      new it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap<>();
  /** Requests whose KV is back: they rejoin the decodes when the next iteration starts. */
  private final it.unimi.dsi.fastutil.objects.ObjectArrayList<Request> restored =
      new it.unimi.dsi.fastutil.objects.ObjectArrayList<>();
  private final EventHandler swapInDone = (engine, serial) -> restoredFromHost(serial);

  /** Schedules a copy of {@code blocks} KV blocks per GPU over the host links; returns when it ends. */
  private long transfer(long blocks, long notBeforeNs) {
    long start = Math.max(Math.max(engine.now(), hostLinkFreeNs), notBeforeNs);
    hostLinkFreeNs = start + Durations.toNanos(blocks * capacity.blockBytes() / hostLinkBytesPerS);
    return hostLinkFreeNs;
  }

  /** A swap-in finished: the request rejoins the decodes at the next iteration. */
  private void restoredFromHost(long serial) {
    Request r = loading.remove(serial);
    host.release(r.swapBytes);
    r.swapBytes = 0;
    restored.add(r);
    wake();
  }
  private int preemptingSteps;
  private boolean livelock;
  /** Running requests in admission order: the last is preemption's victim. */
  private final it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet<Request> running =
      new it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet<>();
  /** Decode steps in a row that had to preempt before the run is declared livelocked. */
  private static final int LIVELOCK_STEPS = 2_000;

  public long preemptions() {
    return preemptions;
  }

  /** True when preemption stopped making progress (LIVELOCK_STEPS decode steps in a row preempted). */
  public boolean livelocked() {
    return livelock;
  }

  private int maxQueue;
  private long queueTimeoutNs;
  private int waitingLive;
  private long outstandingTokens;
  private long nextSerial;
  private final it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<Request> timing =
      new it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<>();
  private final EventHandler timeouts = (engine, serial) -> timeOut(serial);

  /** Requests waiting for admission (timed-out ones excluded). */
  public int waitingRequests() {
    return waitingLive;
  }

  /**
   * When the longest-waiting unserved request here arrived, ns, or -1 if none: the head of the
   * queue (timed-out ones skipped) or an admitted prompt still without its first token (a policy
   * such as decode-priority can starve admitted prompts).
   */
  public long oldestUnservedArrivalNs() {
    long oldest = -1;
    for (Request r : waiting) {
      if (!r.timedOut) {
        oldest = r.arrivalNs;
        break;
      }
    }
    for (int i = 0; i < prefilling.size(); i++) {
      Request r = prefilling.get(i);
      if (r.firstTokenNs < 0 && (oldest < 0 || r.arrivalNs < oldest)) {
        oldest = r.arrivalNs;
      }
    }
    return oldest;
  }

  /** Requests admitted and not done. */
  public int runningRequests() {
    return decodeCount + prefilling.size();
  }

  /** Tokens still to prefill and decode for the requests queued or running here. */
  public long outstandingTokens() {
    return outstandingTokens;
  }

  /** Queues a request; returns a reason when it cannot be served here, else null. */
  String submit(Request r, long maxModelLen) {
    if (maxQueue > 0 && waitingLive >= maxQueue) {
      return "queue full: " + waitingLive + " requests waiting on replica " + index
          + "; admission.max_queue is " + maxQueue;
    }
    long total = r.contextTokens + r.outputTokens;
    if (total > maxModelLen) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " = " + total
          + " tokens exceeds max_model_len " + maxModelLen + (maxModelLen == capacity.maxHeldTokens()
              ? " (what the KV cache of a replica holds: " + capacity.blocks() + " blocks of " + capacity.blockTokens()
                  + " tokens)" : "");
    }
    long needed = blocksFor(r);
    if (needed > capacity.blocks()) {
      return "context " + r.contextTokens + " + output " + r.outputTokens + " tokens need " + needed
          + " KV blocks of " + capacity.blockTokens() + " tokens; the replica holds "
          + capacity.blocks() + " (" + capacity.tokens() + " tokens)";
    }
    long prompt = capacity.blocksFor(r.contextTokens);
    if (incremental && prompt + watermarkBlocks > capacity.blocks()) { // could never be admitted
      return "context " + r.contextTokens + " tokens need " + prompt + " KV blocks of " + capacity.blockTokens()
          + " tokens + the " + watermarkBlocks + "-block watermark = " + (prompt + watermarkBlocks)
          + "; the replica holds " + capacity.blocks();
    }
    waiting.addLast(r);
    waitingLive++;
    r.outstandingCharge = r.contextTokens - r.conversation.kv.tokens() + r.outputTokens;
    outstandingTokens += r.outstandingCharge;
    if (queueTimeoutNs > 0) {
      r.serial = nextSerial++;
      timing.put(r.serial, r);
      r.timeoutHandle = engine.schedule(engine.now() + queueTimeoutNs, Phase.STATE, index, timeouts, r.serial);
    }
    wake();
    return null;
  }

  /** A request waited past the queue timeout: it leaves the queue (lazily) and its conversation ends. */
  private void timeOut(long serial) {
    Request r = timing.remove(serial);
    r.timedOut = true;
    r.timeoutHandle = -1;
    waitingLive--;
    outstandingTokens -= r.outstandingCharge;
    fleet.timedOut(r, engine.now());
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
    for (int i = 0; i < restored.size(); i++) { // back from host memory: decoding resumes
      Request r = restored.get(i);
      running.add(r);
      joinDecode(r, r.contextTokens + r.recomputeTokens, r.outputTokens - r.generated);
    }
    restored.clear();
    if (policy.mayAdmit(view)) {
      admit(now);
    }
    plan.clear(prefilling.size());
    policy.plan(view, plan);
    if (incremental && plan.includeDecodes && decodeCount > 0) {
      long before = preemptions;
      takeStepBlocks(now);
      if (preemptions != before) {
        plan.clear(prefilling.size());
        policy.plan(view, plan);
      }
    }
    work.clear();
    chunks = 0;
    decodesInIteration = plan.includeDecodes && decodeCount > 0;
    if (decodesInIteration) {
      work.decodeSeqs = decodeCount;
      for (int s = 0; s < Architecture.SLOTS; s++) {
        work.decodeUnits[s] = units[s];
      }
      work.samplingSeqs = decodeCount;
    }
    work.extraTokens = pendingFoldTokens;
    for (int i = 0; i < prefilling.size(); i++) {
      Request r = prefilling.get(i);
      long chunk = plan.chunk(i);
      if (chunk <= 0) {
        continue;
      }
      long cachedBefore = r.cachedTokens + r.prefilledTokens;
      work.addPrefillChunk(chunk, cachedBefore, chunk == r.remainingPrefill());
      work.extraTokens += arch.foldsBetween(cachedBefore, cachedBefore + chunk) * arch.foldTokens();
      if (!r.sideWorkCharged) {
        r.sideWorkCharged = true;
        work.extraFlops += arch.embeddingFlops(r.newTokens);
        work.extraCpuS += r.retrievedTokens > 0 ? arch.vectorSearchS() : 0;
      }
      addChunk(r, chunk);
    }
    if (work.seqs() == 0) {
      return; // nothing to run: the replica idles until a request arrives or is admitted
    }
    pendingFoldTokens = 0;
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

  /** Blocks a turn needs at most: its held tokens peak between its context and its final KV. */
  private long blocksFor(Request r) {
    return capacity.blocksFor(arch.maxHeldTokens(r.contextTokens, r.finalKvTokens()));
  }

  /** Admits waiting requests FIFO while sequences and KV blocks allow (head-of-line blocking). */
  private void admit(long now) {
    while (!waiting.isEmpty() && decodeCount + prefilling.size() + loading.size() + restored.size() < maxSeqs) {
      Request r = waiting.peekFirst();
      if (r.timedOut) {
        waiting.pollFirst();
        continue;
      }
      Conversation c = r.conversation;
      KvSegment seg = c.kv;
      if (kv.prefix() != null && r.blockKeys != null) {
        if (!admitKeyed(r, now)) {
          waitForMemory(r, now);
          return; // head-of-line: waits for blocks to be released
        }
        kv.pin(seg);
        leaveQueue(r, now);
        planPrefill(r);
        running.add(r);
        prefilling.add(r);
        continue;
      }
      long n0 = r.contextTokens + r.recomputeTokens;
      long take = incremental ? Math.max(0, capacity.blocksFor(n0) - seg.blocks()) : Math.max(0, blocksFor(r) - seg.blocks());
      long headroom = incremental ? watermarkBlocks : 0;
      if (!kv.reclaim(take + headroom, now, seg)) {
        waitForMemory(r, now);
        return;
      }
      kv.pin(seg);
      leaveQueue(r, now);
      // vLLM reuses whole blocks: a partly filled last block is recomputed with the prompt (a
      // state-only model keeps its state whole); read from the KV owner before the blocks are taken
      long held = seg.tokens();
      r.cachedTokens = r.swapped ? n0 : capacity.kvBytesPerToken() > 0 ? held - held % capacity.blockTokens() : held;
      kv.grant(seg, take, r.swapped ? n0 : held);
      if (r.swapped) { // its KV comes back from host memory, once its swap-out is done
        r.swapped = false;
        long start = Math.max(Math.max(now, hostLinkFreeNs), r.swapOutEndNs);
        long end = transfer(seg.blocks(), r.swapOutEndNs);
        r.swapTransferNs += end - start;
        long serial = nextTransferSerial++;
        loading.put(serial, r);
        engine.schedule(end, Phase.STATE, index, swapInDone, serial);
        continue;
      }
      r.retrievedTokens = arch.retrievedTokens(r.cachedTokens);
      planPrefill(r);
      running.add(r);
      prefilling.add(r);
    }
  }

  /** The prefill an admission plans: the context less the KV the owner holds for it (the prefill law's side). */
  private void planPrefill(Request r) {
    prefillTokensPlanned += r.remainingPrefill() + (faults.extraPrefill() ? 1 : 0);
  }

  /**
   * The head of the queue does not fit. With nothing running and no transfer pending nothing can
   * free memory here: a stall, reported if it lasts a simulated minute.
   */
  private void waitForMemory(Request r, long now) {
    if (!running.isEmpty() || !loading.isEmpty() || !restored.isEmpty()) {
      return;
    }
    long need = r.blockKeys != null && kv.prefix() != null ? r.blockKeys.length
        : incremental ? capacity.blocksFor(r.contextTokens + r.recomputeTokens) + watermarkBlocks : blocksFor(r);
    stallDetail = "deployment " + deployment + " replica " + index + ": " + waitingLive
        + " requests waiting and none running; the first (conversation " + r.conversation.id + ", turn " + r.turn
        + ") needs " + need + " KV blocks, " + (need - r.conversation.kv.blocks()) + " more than its conversation holds;"
        + " " + kv.free() + " of " + capacity.blocks() + " are free and eviction (" + kv.policyName() + ") frees no more";
    if (stallSinceNs < 0) {
      stallSinceNs = now;
      engine.schedule(now + STALL_NS, Phase.SAMPLE, index, stallCheck, 0);
    }
  }

  private void checkStall() {
    if (waitingLive == 0 || !running.isEmpty()) { // the queue timed out or work resumed: no stall
      stallSinceNs = -1;
      return;
    }
    if (stallSinceNs >= 0 && engine.now() - stallSinceNs >= STALL_NS && stallReport == null) {
      stallReport = stallDetail;
      engine.stop();
    }
  }

  /** Why this replica stalled (requests waiting that nothing can ever admit), or null. */
  public String stallReport() {
    return stallReport;
  }

  /** The head of the queue is admitted: its timeout is cancelled, its conversation becomes resident. */
  private void leaveQueue(Request r, long now) {
    waiting.pollFirst();
    waitingLive--;
    if (r.timeoutHandle >= 0) {
      engine.cancel(r.timeoutHandle);
      timing.remove(r.serial);
      r.timeoutHandle = -1;
    }
    Conversation c = r.conversation;
    if (!c.resident) {
      c.resident = true;
      c.idleMark = idle.join(now);
    }
    if (r.admittedNs < 0) { // a preempted request keeps its first admission (its queueing delay)
      r.admittedNs = now;
    }
    stallSinceNs = -1;
  }

  /** Takes the blocks this decode step starts, preempting the latest admitted requests if needed. */
  private void takeStepBlocks(long now) {
    int bt = residueCount.length;
    long need = residueCount[(int) Math.floorMod(-decodeStep, (long) bt)];
    boolean preempted = false;
    while (!kv.reclaim(need, now, null) && !running.isEmpty()) {
      preempt(running.last(), now);
      preempted = true;
      need = residueCount[(int) Math.floorMod(-decodeStep, (long) bt)];
    }
    preemptingSteps = preempted ? preemptingSteps + 1 : 0;
    if (preemptingSteps >= LIVELOCK_STEPS) {
      livelock = true;
    }
    kv.grow(need);
  }

  /** Host bytes of {@code blocks} KV blocks on every GPU of the replica. */
  private long hostBytes(long blocks) {
    return (long) Math.ceil(blocks * capacity.blockBytes()) * gpus.length;
  }

  /** Blocks a decoding sequence has taken by growth after {@code steps} decode steps from n0 tokens. */
  private long growthBlocks(long n0, long steps) {
    return capacity.blocksFor(n0 + steps) - capacity.blocksFor(n0);
  }

  /**
   * Preempts a running request and queues it first. Swap moves its KV to host memory; recompute
   * drops it, except that a stack that frees block by block (vLLM V1) keeps its computed full
   * blocks as its conversation's idle, evictable KV, so that its readmission re-hits what is
   * left of them; a keyed request's computed prompt blocks stay in the prefix cache.
   */
  private void preempt(Request r, long now) {
    Conversation c = r.conversation;
    KvSegment seg = c.kv;
    running.remove(r);
    boolean decoding = !prefilling.remove(r);
    long computed; // tokens whose KV is written
    long growth = 0;
    if (decoding) {
      decodes.remove(r);
      joiners.remove(r);
      long steps = decodeStep - r.k0;
      growth = growthBlocks(r.n0, steps); // the blocks its steps started
      computed = r.n0 + steps;
      r.generated += (int) steps;
      r.activeJ += decodeEnergy.constantSince(r.markA);
      for (int s = 0; s < Architecture.SLOTS; s++) {
        if (arch.hasSlot(s)) {
          endSegment(r, s, decodeStep);
        }
      }
      r.maxTbtNs = Math.max(r.maxTbtNs, Math.max(r.firstGapNs, gaps.maxFrom(r.k0 + 1)));
      decodeCount--;
      residueCount[r.residue]--;
      if (r.windowed) {
        windowedDecodes--;
      }
    } else {
      computed = r.cachedTokens + r.prefilledTokens;
      prefillTokensPlanned -= r.remainingPrefill(); // planned but never run: the readmission plans anew
    }
    r.prefilledTokens = 0; // whatever was computed is gone (or on the host, or cached)
    if (r.pinnedKeys != null) {
      kv.release(r.pinnedKeys, r.pinnedCount, now);
      r.pinnedKeys = null;
      kv.releaseGrowth(growth);
      r.recomputeTokens = r.generated;
    } else if (swap && decoding && host.reserve(hostBytes(seg.blocks() + growth))) {
      // KV of the context and all but the last sampled token goes to host and comes back later
      kv.settleGrowth(seg, growth, computed);
      r.swapped = true;
      r.swapBytes = hostBytes(seg.blocks());
      r.recomputeTokens = r.generated - 1;
      long start = Math.max(now, hostLinkFreeNs);
      r.swapOutEndNs = transfer(seg.blocks(), now);
      r.swapTransferNs += r.swapOutEndNs - start;
      dropKv(c, now); // its GPU blocks are free for this step: the copy is ordered before its kernels
    } else {
      if (swap && decoding) {
        swapFallbacks++; // no room in host memory: recompute
      }
      kv.settleGrowth(seg, growth, computed);
      r.recomputeTokens = r.generated; // the generated tokens join the prompt to recompute
      if (kv.tailFirst()) {
        long full = computed / capacity.blockTokens();
        kv.shrink(seg, full, full * capacity.blockTokens());
        kv.unpin(seg, now);
      } else {
        dropKv(c, now);
      }
    }
    r.cachedTokens = 0;
    r.preemptions++;
    preemptions++;
    waiting.addFirst(r);
    waitingLive++;
    listener.requestPreempted(r);
  }



  private void endIteration(long now) {
    busy = false;
    double replicaJ = gpus.length * GpuMeters.joules(cost.averagePowerW, iterationNs);
    int seqs = work.seqs();
    double sharedPerSeq = cost.sharedCost / seqs;
    double perCost = replicaJ / cost.totalCost;
    if (!decodesInIteration) {
      listenerIteration(0, 0, 0, now);
      finishPrompts(now, sharedPerSeq, perCost);
      return;
    }
    tokensEmitted += decodeCount + (faults.extraToken() ? 1 : 0); // each running decode emits one token
    long k = decodeStep++;
    // sequences that decoded in the previous step get their token now - lastDecodeEnd later (the
    // iteration, or more when prompt-only iterations paused the decodes); those that joined since
    // got their first token at their prompt's end
    long gap = lastDecodeEndNs < 0 ? 0 : now - lastDecodeEndNs;
    lastDecodeEndNs = now;
    int windowedJoiners = 0;
    for (int i = 0; i < joiners.size(); i++) {
      Request j = joiners.get(i);
      j.firstGapNs = now - j.firstTokenNs;
      if (j.windowed) {
        windowedJoiners++;
        listener.tokenGap(this, j.firstGapNs);
      }
    }
    joiners.clear();
    for (int s = 0; s < Architecture.SLOTS; s++) {
      slotRate[s] = perCost * cost.perUnitCost[s];
    }
    decodeEnergy.addIteration(k, perCost * (sharedPerSeq + Roofline.decodeSeqCost(cost, NO_UNITS)), slotRate);
    gaps.push(k, gap);
    listenerIteration(decodeCount, windowedDecodes - windowedJoiners, gap, now);
    for (int s = 0; s < Architecture.SLOTS; s++) {
      units[s] += rising[s];
    }
    long boundary = k + 1;
    while (!decodes.isEmpty() && decodes.peek().nextEventIteration == boundary) {
      Request r = decodes.poll();
      long n = r.n0 + (boundary - r.k0);
      if (r.finishIteration == k) {
        finishDecode(r, boundary);
        complete(r, now);
      } else {
        crossBreakpoint(r, boundary, n);
        decodes.add(r);
      }
    }
    finishPrompts(now, sharedPerSeq, perCost);
  }

  /** Charges the prompt chunks of the iteration and moves finished prompts to decoding. */
  private void finishPrompts(long now, double sharedPerSeq, double perCost) {
    for (int i = 0; i < chunks; i++) {
      Request r = chunkRequest[i];
      long chunk = chunkTokens[i];
      long cachedBefore = r.cachedTokens + r.prefilledTokens;
      boolean samples = chunk == r.remainingPrefill();
      r.activeJ += perCost * (sharedPerSeq + roofline.prefillSeqCost(cost, chunk, cachedBefore, samples));
      r.prefilledTokens += chunk;
      prefillTokensRun += chunk;
      chunkRequest[i] = null;
    }
    int kept = 0;
    for (int i = 0; i < prefilling.size(); i++) { // prompts done leave the list, the others keep their order
      Request p = prefilling.get(i);
      if (p.remainingPrefill() > 0) {
        prefilling.set(kept++, p);
      } else {
        promptDone.add(p);
      }
    }
    prefilling.size(kept);
    for (int i = 0; i < promptDone.size(); i++) {
      Request r = promptDone.get(i);
      if (r.pinnedKeys != null) {
        kv.insert(r.pinnedKeys, r.blockKeys.length, now); // computed blocks become reusable at once
      }
      if (r.firstTokenNs < 0) {
        r.firstTokenNs = now;
      }
      r.generated++; // the prompt's pass samples one token (the first, or the next after a recompute)
      tokensEmitted++;
      if (r.generated >= r.outputTokens) {
        if (r.outputTokens == 1) {
          r.maxTbtNs = -1;
        }
        complete(r, now);
      } else {
        joinDecode(r, r.contextTokens + r.recomputeTokens, r.outputTokens - r.generated);
      }
    }
    promptDone.clear();
    chunks = 0;
    idle.setIdle(now, true);
    for (int g : gpus) {
      meters.set(g, now, activeIdleW);
    }
  }

  /**
   * A request whose prompt is done decodes from the next decode step on, in aggregate: {@code n0}
   * tokens of KV written, {@code steps} decode steps to go.
   */
  private void joinDecode(Request r, long n0, long steps) {
    long iteration = decodeStep;
    r.k0 = iteration;
    r.n0 = n0;
    r.finishIteration = iteration + steps - 1;
    if (incremental) {
      r.residue = (int) Math.floorMod(n0 - iteration, (long) residueCount.length);
      residueCount[r.residue]++;
    }
    r.markA = decodeEnergy.sumA();
    r.segmentStart = new long[Architecture.SLOTS];
    r.segmentValue = new long[Architecture.SLOTS];
    r.segmentSlope = new int[Architecture.SLOTS];
    r.markB = new double[Architecture.SLOTS];
    r.markBk = new double[Architecture.SLOTS];
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        startSegment(r, s, iteration, r.n0);
      }
    }
    decodeCount++;
    if (r.windowed) {
      windowedDecodes++;
    }
    r.nextEventIteration = nextEvent(r, iteration, r.n0);
    decodes.add(r);
    joiners.add(r);
  }

  private void startSegment(Request r, int s, long boundary, long n) {
    ContextCurve curve = arch.slotCurve(s);
    r.segmentStart[s] = boundary;
    r.segmentValue[s] = curve.value(n);
    r.segmentSlope[s] = curve.slope(n);
    r.markB[s] = decodeEnergy.sumB(s);
    r.markBk[s] = decodeEnergy.sumBk(s);
    units[s] += r.segmentValue[s];
    rising[s] += r.segmentSlope[s];
  }

  /** Closes slot s's segment before {@code boundary}: its energy, and its part of the aggregates. */
  private void endSegment(Request r, int s, long boundary) {
    r.activeJ += decodeEnergy.slotSince(s, r.segmentStart[s], r.segmentValue[s], r.segmentSlope[s],
        r.markB[s], r.markBk[s]);
    units[s] -= r.segmentValue[s] + r.segmentSlope[s] * (boundary - r.segmentStart[s]);
    rising[s] -= r.segmentSlope[s];
  }

  private void crossBreakpoint(Request r, long boundary, long n) {
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (!arch.hasSlot(s)) {
        continue;
      }
      ContextCurve curve = arch.slotCurve(s);
      long projected = r.segmentValue[s] + r.segmentSlope[s] * (boundary - r.segmentStart[s]);
      if (curve.value(n) != projected || curve.slope(n) != r.segmentSlope[s]) {
        if (s == 0 && curve.segment() > 0 && curve.value(n) < projected) {
          pendingFoldTokens += curve.segment(); // compressive memory folds a segment: one more forward pass
        }
        endSegment(r, s, boundary);
        startSegment(r, s, boundary, n);
      }
    }
    r.nextEventIteration = nextEvent(r, boundary, n);
  }

  private void finishDecode(Request r, long boundary) {
    if (incremental) {
      residueCount[r.residue]--;
      r.growthBlocks = growthBlocks(r.n0, boundary - r.k0);
    }
    decodeCount--;
    if (r.windowed) {
      windowedDecodes--;
    }
    r.activeJ += decodeEnergy.constantSince(r.markA);
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        endSegment(r, s, boundary);
      }
    }
    r.maxTbtNs = Math.max(r.maxTbtNs, Math.max(r.firstGapNs, gaps.maxFrom(r.k0 + 1)));
  }

  /** The next boundary at which r finishes or one of its curves changes slope or jumps. */
  private long nextEvent(Request r, long boundary, long n) {
    long next = r.finishIteration + 1;
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

  private void listenerIteration(int decodeTokens, int continuingWindowed, long gapNs, long now) {
    int firstTokens = 0;
    for (int i = 0; i < chunks; i++) {
      if (chunkTokens[i] == chunkRequest[i].remainingPrefill()) {
        firstTokens++;
      }
    }
    listener.iterationDone(this, iterationStartNs, iterationNs, cost, decodeTokens + firstTokens,
        continuingWindowed, gapNs);
  }

  /** The reply is done: the conversation keeps its KV (or frees it without prefix caching). */
  private void complete(Request r, long now) {
    r.doneNs = now;
    outstandingTokens -= r.outstandingCharge;
    completedOutputTokens += r.outputTokens;
    Conversation c = r.conversation;
    KvSegment seg = c.kv;
    c.historyTokens = r.contextTokens + r.outputTokens;
    running.remove(r);
    long growth = r.growthBlocks;
    r.growthBlocks = 0;
    if (r.pinnedKeys != null) { // its prompt blocks stay cached (evictable), its reply blocks are freed
      kv.release(r.pinnedKeys, r.pinnedCount, now);
      r.pinnedKeys = null;
      kv.releaseGrowth(growth);
      kv.shrink(seg, seg.blocks(), 0);
    } else if (incremental) {
      kv.settleGrowth(seg, growth, r.finalKvTokens()); // its prompt's blocks and those its steps started
    } else { // a sawtooth (compressive memory) may end below its peak
      kv.shrink(seg, capacity.blocksFor(arch.heldTokens(r.finalKvTokens())), r.finalKvTokens());
    }
    c.active = null;
    listener.requestDone(r);
    if (!prefixCaching) {
      dropKv(c, now);
    }
    fleet.replyDone(c, r, now);
  }

  /**
   * Places a pre-aged conversation's history in the KV as the stack would hold it between turns
   * (its last reply's last token never written): idle, the most recently active so far, evicting
   * older ones if the pool is full; a history that cannot fit is left to be recomputed.
   */
  void placeHistory(Conversation c, long now) {
    KvSegment seg = c.kv;
    long tokens = Math.max(0, c.historyTokens - 1);
    kv.shrink(seg, 0, 0); // nothing is held until it is placed
    if (!prefixCaching || tokens == 0) {
      return;
    }
    long blocks = capacity.blocksFor(arch.heldTokens(tokens));
    if (blocks > capacity.blocks() || !kv.reclaim(blocks, now, seg)) {
      return;
    }
    kv.grant(seg, blocks, tokens);
    c.resident = true;
    c.idleMark = idle.join(now);
    kv.unpin(seg, now);
  }

  /** Called by the fleet when a conversation ends or is rejected: frees its KV. */
  void release(Conversation c, long now) {
    dropKv(c, now);
  }

  /** Makes an idle conversation the most recently used candidate for eviction. */
  void markIdle(Conversation c, long now) {
    if (c.resident) {
      kv.unpin(c.kv, now);
    }
  }

  /** The KV owner evicted the last of a conversation's blocks: it is no longer resident here. */
  private void segmentEvicted(KvSegment seg, long now) {
    leaveResidency((Conversation) seg.tenant, now);
  }

  private void dropKv(Conversation c, long now) {
    if (faults.leakKv() && c.kv.blocks() > 0) {
      kv.leak(c.kv);
    } else {
      kv.drop(c.kv);
    }
    leaveResidency(c, now);
  }

  private void leaveResidency(Conversation c, long now) {
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
    // the books, recounted from the sequences themselves before they are flushed
    long stepInFlight = busy && decodesInIteration ? 1 : 0; // its blocks were taken at its start
    long growth = 0;
    long generated = 0;
    long unfinished = 0;
    for (Request r : decodes) { // order-free sums
      growth += incremental ? growthBlocks(r.n0, decodeStep - r.k0 + stepInFlight) : 0;
      generated += r.generated + (decodeStep - r.k0);
    }
    long prefillLeft = 0;
    for (Request r : prefilling) {
      generated += r.generated;
      prefillLeft += r.remainingPrefill();
    }
    for (Request r : waiting) {
      if (!r.timedOut) {
        generated += r.generated;
      }
    }
    for (Request r : loading.values()) {
      generated += r.generated;
    }
    for (Request r : restored) {
      generated += r.generated;
    }
    while (!decodes.isEmpty()) { // the run is over: the heap may be emptied
      Request r = decodes.poll();
      finishDecode(r, decodeStep);
      inFlight.accept(r);
      unfinished++;
    }
    for (Request r : prefilling) {
      inFlight.accept(r);
      unfinished++;
    }
    for (Request r : loading.values()) { // coming back from host memory
      inFlight.accept(r);
      unfinished++;
    }
    for (Request r : restored) {
      inFlight.accept(r);
      unfinished++;
    }
    boolean hide = faults.hideUnfinished();
    for (Request r : waiting) {
      if (!r.timedOut) {
        if (hide) {
          hide = false;
          continue;
        }
        inFlight.accept(r);
        unfinished++;
      }
    }
    books = new Books(kv.pool().live(), kv.prefixBlocks(), growth, tokensEmitted, completedOutputTokens, generated,
        prefillTokensRun, prefillTokensPlanned - prefillLeft, unfinished, swapFallbacks);
    return cut;
  }

  private Books books;

  /**
   * What the conservation checks compare at the end of a run, each side counted where its work
   * happens: the pool's live blocks against the prefix cache's own count and the growth recounted
   * from the running sequences' positions (the fleet adds its conversations' segments); tokens
   * emitted by iterations against completed outputs and unfinished requests' generated tokens;
   * prefill tokens run by iterations against those planned at admission (the context less the KV
   * the owner held) less what is still to run; requests found unfinished.
   */
  public record Books(long poolLiveBlocks, long prefixBlocks, long growthBlocks, long tokensEmitted,
      long completedOutputTokens, long unfinishedGeneratedTokens, long prefillTokensRun, long prefillTokensPlanned,
      long unfinishedRequests, long swapFallbacks) {}

  /** The books as closed by {@link #flush}. */
  public Books books() {
    return books;
  }
}
