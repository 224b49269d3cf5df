package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.kv.EvictionPolicies;
import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.kv.KvMemory;
import dev.tokentherm.kv.KvSegment;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.net.Network;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A replica's use of its KV owner, {@link KvMemory} (which owns the pool, the eviction order and
 * the prefix cache): what an admission takes, the blocks decode steps start, what a preempted or
 * finished sequence gives back, and swap's copies to and from host memory ({@link HostMemory}).
 *
 * <p>Without preemption a request reserves at admission the blocks its turn ends with. With
 * preemption ({@link #enablePreemption}) it takes its prompt's blocks, leaving a watermark free,
 * and one more block whenever a decode step starts one, counted in aggregate by the residue of its
 * position: a decode step needs as many blocks as there are sequences in its residue class.
 */
final class ReplicaKv {
  private final Engine engine;
  private final KvCapacity capacity;
  private final KvMemory kv;
  private final Architecture arch;
  private final EnergyBooks energy;
  private final Faults faults;
  private final int gpuCount;
  private final boolean prefixCaching;
  private final Runnable wake;
  private final ReplicaTiers tiers;
  /** Reply blocks of keyed prompts: never shared (negative keys, apart from the trace's hashes). */
  private long nextUniqueKey = -1;

  private boolean incremental;
  private boolean swap;
  /** Swap's copies over the host links (null without swap). */
  private SwapTransfers transfers;
  private long watermarkBlocks;
  private int[] residueCount = new int[0];
  private HostMemory host;
  private long swapFallbacks;
  private long nextTransferSerial;
  /** Sequences whose KV is coming back from host memory, by transfer serial. */
  private final Long2ObjectLinkedOpenHashMap<Sequence> loading = new Long2ObjectLinkedOpenHashMap<>();
  /** Sequences whose KV is back: they rejoin the decodes when the next iteration starts. */
  private final ObjectArrayList<Sequence> restored = new ObjectArrayList<>();
  private final java.util.function.LongConsumer swapInDone = this::restoredFromHost;

  ReplicaKv(Engine engine, KvCapacity capacity, Architecture arch, boolean prefixCaching,
      EvictionPolicy eviction, boolean tailFirst, Faults faults, EnergyBooks energy, int gpuCount, Runnable wake,
      ReplicaTiers tiers) {
    this.engine = engine;
    this.capacity = capacity;
    this.arch = arch;
    this.faults = faults;
    this.energy = energy;
    this.gpuCount = gpuCount;
    this.prefixCaching = prefixCaching;
    this.wake = wake;
    this.tiers = tiers;
    this.kv = new KvMemory(capacity, prefixCaching, faults.refuseEviction() ? EvictionPolicies.REFUSE : eviction,
        tailFirst, tiers::evicted);
  }

  KvMemory memory() {
    return kv;
  }

  /** See {@link Replica#enablePreemption}. */
  void enablePreemption(boolean swapToHost, Network network, int[][] swapRoutes, double watermark, HostMemory host) {
    this.incremental = true;
    this.swap = swapToHost;
    this.transfers = swapToHost ? new SwapTransfers(engine, network, swapRoutes) : null;
    this.host = host;
    this.watermarkBlocks = (long) Math.ceil(watermark * capacity.blocks());
    this.residueCount = new int[capacity.blockTokens()];
  }

  /** Whether sequences take blocks as their KV grows (preemption), rather than all at admission. */
  boolean incremental() {
    return incremental;
  }

  long watermarkBlocks() {
    return watermarkBlocks;
  }

  long swapFallbacks() {
    return swapFallbacks;
  }

  /** Blocks a turn needs at most: its held tokens peak between its context and its final KV. */
  long blocksFor(Request r) {
    return capacity.blocksFor(arch.maxHeldTokens(r.contextTokens, r.finalKvTokens()));
  }

  /** Why the request cannot be admitted while nothing runs (a stall report's end). */
  String shortfall(Request r) {
    long need = r.blockKeys != null && kv.prefix() != null ? r.blockKeys.length
        : incremental ? capacity.blocksFor(r.contextTokens + r.recomputeTokens) + watermarkBlocks : blocksFor(r);
    return "needs " + need + " KV blocks, " + (need - r.conversation.kv.blocks())
        + " more than its conversation holds; " + kv.free() + " of " + capacity.blocks()
        + " are free and eviction (" + kv.policyName() + ") frees no more";
  }

  // --- admission and swap-in

  /**
   * Takes the KV a queued sequence needs to be admitted, evicting idle KV as the owner allows, and
   * pins its conversation's segment; false if it does not fit now (nothing is taken for it). Sets
   * what the prefill finds cached: whole blocks of the conversation's KV (vLLM reuses whole blocks:
   * a partly filled last block is recomputed with the prompt; a state-only model keeps its state
   * whole), all of it after a swap, or a keyed prompt's cached prefix.
   */
  boolean reserve(Sequence q, long now) {
    Request r = q.request;
    KvSegment seg = r.conversation.kv;
    if (kv.prefix() != null && r.blockKeys != null) {
      if (!reserveKeyed(q, now)) {
        return false;
      }
      kv.pin(seg);
      return tiers.keyedAdmitted(q, now);
    }
    long n0 = r.contextTokens + r.recomputeTokens;
    long take = Math.max(0, (incremental ? capacity.blocksFor(n0) : blocksFor(r)) - seg.blocks());
    long headroom = incremental ? watermarkBlocks : 0;
    if (!kv.reclaim(take + headroom, now, seg)) {
      return false;
    }
    kv.pin(seg);
    long held = tiers.heldAtAdmission(q, seg, now); // read before the blocks are taken
    r.cachedTokens = q.swapped ? n0 : capacity.kvBytesPerToken() > 0 ? held - held % capacity.blockTokens() : held;
    kv.grant(seg, take, q.swapped ? n0 : held);
    if (!q.swapped) {
      r.retrievedTokens = arch.retrievedTokens(r.cachedTokens);
    }
    return true;
  }

  /**
   * Pins a keyed prompt's blocks (cached ones shared) plus fresh blocks: for its reply too without
   * preemption, else for the prompt alone (growth takes the reply's). False if they do not fit
   * now. The prompt's cached prefix becomes its cached tokens.
   */
  private boolean reserveKeyed(Sequence q, long now) {
    Request r = q.request;
    int promptBlocks = r.blockKeys.length;
    long n0 = r.contextTokens + r.recomputeTokens;
    int total = (int) Math.max(promptBlocks, incremental ? capacity.blocksFor(n0) : blocksFor(r));
    long[] keys = Arrays.copyOf(r.blockKeys, total);
    for (int i = promptBlocks; i < total; i++) {
      keys[i] = nextUniqueKey--;
    }
    if (!kv.acquire(keys, total, incremental ? watermarkBlocks : 0, now)) {
      return false;
    }
    long hit = kv.prefix().lookup(keys, promptBlocks, r.contextTokens);
    q.pinnedKeys = keys;
    q.pinnedCount = total;
    r.cachedTokens = Math.min(hit, n0 - 1); // the last prompt token is always computed
    return true;
  }

  /** A swapped sequence was admitted: its KV comes back from host memory once its swap-out is done. */
  void swapIn(Sequence q, long now) {
    if (q.loadTier > 0) { // a lower tier's KV: its prefill starts once the copy is in HBM
      loading.put(nextTransferSerial, q);
      q.tierLoadHandle = tiers.load(q, now, nextTransferSerial++);
      return;
    }
    q.swapped = false;
    long serial = nextTransferSerial++;
    loading.put(serial, q);
    transfers.fromHost(q, bytesPerGpu(q.request.conversation.kv.blocks()), swapInDone, serial);
  }

  /** A tier load finished: the sequence starts its prefill at the next iteration ({@link #rejoinsPrefill}). */
  Sequence loadedFromTier(long serial) {
    Sequence q = loading.remove(serial);
    restored.add(q);
    wake.run();
    return q;
  }

  /** A swap-in finished: the sequence rejoins the decodes at the next iteration. */
  private void restoredFromHost(long serial) {
    Sequence q = loading.remove(serial);
    host.release(q.swapBytes);
    q.swapBytes = 0;
    restored.add(q);
    wake.run();
  }

  /** The replica shut down: the sequences in transit leave (copies back called off), into {@code failed}. */
  void failInTransit(java.util.List<Sequence> failed) {
    for (Sequence q : loading.values()) {
      if (transfers != null) {
        transfers.callOff(q); // a swap copy in flight
      }
      tiers.cancel(q); // or a tier load
      failed.add(q);
    }
    failed.addAll(restored);
    loading.clear();
    restored.clear();
  }

  /** Sequences whose KV is coming back from host memory or is back (not yet decoding again). */
  int inTransit() {
    return loading.size() + restored.size();
  }

  /** Sequences back from host memory, to rejoin the decodes (the caller clears the list). */
  ObjectArrayList<Sequence> restored() {
    return restored;
  }

  /** Tokens generated by the sequences in transit (end of run). */
  long inTransitGeneratedTokens() {
    long generated = 0;
    for (Sequence q : loading.values()) {
      generated += q.generated;
    }
    for (Sequence q : restored) {
      generated += q.generated;
    }
    return generated;
  }

  /** Reports each sequence in transit as in flight (end of run): those coming back, then those back. */
  long reportInTransit(Consumer<Request> inFlight) {
    for (Sequence q : loading.values()) {
      inFlight.accept(q.request);
    }
    for (Sequence q : restored) {
      inFlight.accept(q.request);
    }
    return inTransit();
  }

  /** Bytes of {@code blocks} KV blocks on one GPU: what a swap copies over each GPU's host link. */
  private long bytesPerGpu(long blocks) {
    return (long) Math.ceil(blocks * capacity.blockBytes());
  }

  /** The replica shut down: a failed sequence's copies in flight are called off. */
  void callOffSwap(Sequence q) {
    if (transfers != null) {
      transfers.callOff(q);
    }
  }

  // --- decode growth

  /** A sequence joins the decodes at decode step {@code step} with {@code n0} tokens: its residue class. */
  void joinDecodes(Sequence q, long n0, long step) {
    if (incremental) {
      q.residue = (int) Math.floorMod(n0 - step, (long) residueCount.length);
      residueCount[q.residue]++;
    }
  }

  /** A sequence leaves the decodes after {@code steps} steps: returns the blocks its steps started. */
  long leaveDecodes(Sequence q, long steps) {
    if (!incremental) {
      return 0;
    }
    residueCount[q.residue]--;
    return growthBlocks(q.n0, steps);
  }

  /** Blocks a decoding sequence has taken by growth after {@code steps} decode steps (0 without preemption). */
  long growthAfter(Sequence q, long steps) {
    return incremental ? growthBlocks(q.n0, steps) : 0;
  }

  private long growthBlocks(long n0, long steps) {
    return capacity.blocksFor(n0 + steps) - capacity.blocksFor(n0);
  }

  /** Blocks decode step {@code step} starts: one per sequence whose position enters a new block. */
  long stepBlocks(long step) {
    return residueCount[(int) Math.floorMod(-step, (long) residueCount.length)];
  }

  /** Evicts idle KV until {@code blocks} blocks are free; false if it cannot. */
  boolean reclaim(long blocks, long now) {
    return kv.reclaim(blocks, now, null);
  }

  /** Takes the blocks a decode step starts. */
  void grow(long blocks) {
    kv.grow(blocks);
  }

  // --- prompts done, preemption and completion

  /** A prompt is computed: a keyed prompt's blocks become reusable at once (a connector's write: ReplicaTiers). */
  void promptComputed(Sequence q, long now) {
    tiers.promptComputed(q, now); // a connector may write the prompt's KV down now
    if (q.pinnedKeys != null) {
      kv.insert(q.pinnedKeys, q.request.blockKeys.length, now);
    }
  }

  /**
   * A preempted sequence gives its KV back ({@code computed} tokens written, {@code growth} blocks
   * taken by its decode steps). Swap moves its KV to host memory, if the node's host memory has
   * room; recompute drops it, except that a stack that frees block by block (vLLM V1) keeps its
   * computed full blocks as its conversation's idle, evictable KV, so that its readmission re-hits
   * what is left of them; a keyed request's computed prompt blocks stay in the prefix cache.
   */
  void preempted(Sequence q, boolean decoding, long growth, long computed, long now) {
    Request r = q.request;
    Conversation c = r.conversation;
    KvSegment seg = c.kv;
    if (q.pinnedKeys != null) {
      kv.release(q.pinnedKeys, q.pinnedCount, now);
      q.pinnedKeys = null;
      kv.releaseGrowth(growth);
      r.recomputeTokens = q.generated;
    } else if (swap && decoding && host.reserve(hostBytes(seg.blocks() + growth))) {
      // KV of the context and all but the last sampled token goes to host and comes back later
      kv.settleGrowth(seg, growth, computed);
      q.swapped = true;
      q.swapBytes = hostBytes(seg.blocks());
      r.recomputeTokens = q.generated - 1;
      transfers.toHost(q, bytesPerGpu(seg.blocks()));
      drop(c, now); // its GPU blocks are free for this step: the copy is ordered before its kernels
    } else {
      if (swap && decoding) {
        swapFallbacks++; // no room in host memory: recompute
      }
      kv.settleGrowth(seg, growth, computed);
      r.recomputeTokens = q.generated; // the generated tokens join the prompt to recompute
      if (kv.tailFirst()) {
        long full = computed / capacity.blockTokens();
        kv.shrink(seg, full, full * capacity.blockTokens());
        kv.unpin(seg, now);
      } else {
        drop(c, now);
      }
    }
    r.cachedTokens = 0;
  }

  /** Host bytes of {@code blocks} KV blocks on every GPU of the replica. */
  private long hostBytes(long blocks) {
    return (long) Math.ceil(blocks * capacity.blockBytes()) * gpuCount;
  }

  /** The reply is done: its conversation's segment keeps its KV (a keyed reply's blocks are freed). */
  void completed(Sequence q, long now) {
    tiers.replyDone(q, now); // a connector may write the turn's KV down now
    Request r = q.request;
    KvSegment seg = r.conversation.kv;
    long growth = q.growthBlocks;
    q.growthBlocks = 0;
    if (q.pinnedKeys != null) { // its prompt blocks stay cached (evictable), its reply blocks are freed
      kv.release(q.pinnedKeys, q.pinnedCount, now);
      q.pinnedKeys = null;
      kv.releaseGrowth(growth);
      kv.shrink(seg, seg.blocks(), 0);
    } else if (incremental) {
      kv.settleGrowth(seg, growth, r.finalKvTokens()); // its prompt's blocks and those its steps started
    } else { // a sawtooth (compressive memory) may end below its peak
      kv.shrink(seg, capacity.blocksFor(arch.heldTokens(r.finalKvTokens())), r.finalKvTokens());
    }
  }

  // --- conversations between turns

  /** Makes an idle conversation the most recently used candidate for eviction. */
  void markIdle(Conversation c, long now) {
    if (c.resident) {
      kv.unpin(c.kv, now);
      tiers.turnEnded(c, now);
    }
  }

  /** Frees the conversation's KV: it is no longer resident here. */
  void drop(Conversation c, long now) {
    if (faults.leakKv() && c.kv.blocks() > 0) {
      kv.leak(c.kv);
    } else {
      kv.drop(c.kv);
    }
    tiers.dropped(c);
    energy.leaveResidency(c, now);
  }
}
