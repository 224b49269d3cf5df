package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.kv.KvMemory;
import dev.tokentherm.kv.KvSegment;
import dev.tokentherm.kv.tier.KvTiers;
import dev.tokentherm.kv.tier.TierMover;
import dev.tokentherm.kv.tier.TierPlacement;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;

/**
 * A replica's side of the KV tiers ({@link KvTiers}): where a conversation's KV goes when its turn
 * ends (the {@link TierPlacement}), the demotion of KV that eviction takes out of HBM, and, when
 * the next turn is admitted, where its KV is found and whether it is loaded (the request waits,
 * in its TTFT) or recomputed ({@code kv.reuse}). Without tiers it only records that a turn's KV was
 * found in HBM or nowhere, and applies the placement (keep changes nothing).
 */
final class ReplicaTiers implements TierMover.Done {
  static final int LOAD = 0;
  static final int RECOMPUTE = 1;
  static final int AUTO = 2;

  private final Engine engine;
  private final KvCapacity capacity;
  private final Roofline roofline;
  private final int gpuCount;
  private final boolean prefixCaching;
  private final EnergyBooks energy;
  private ReplicaKv owner;
  private KvTiers tiers;
  /** This replica's prefix blocks below HBM, or null. */
  private dev.tokentherm.kv.tier.TierBlocks blocks;
  private int node;
  private int gpu;
  private int placement = TierPlacement.KEEP;
  private int reuse = LOAD;
  private long ttlNs;
  private ConnectorRules connector = ConnectorRules.NONE;
  /** A synchronous connector's loads in flight: while any is, the replica runs no iteration ({@link LoadGate}). */
  private int syncLoads;
  private final BatchWork work = new BatchWork();
  private final IterationCost cost = new IterationCost();
  private final it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<KvSegment> demoting =
      new it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<>();
  private long nextDemotion;
  /** Keyed prompt tokens the prefix cache missed in HBM and that were loaded from a lower tier. */
  private long lowerTierHitTokens;
  private final EventHandler demoteIdle = (e, serial) -> demoteIfIdle(demoting.remove(serial), e.now());

  ReplicaTiers(Engine engine, KvCapacity capacity, Roofline roofline, int gpuCount, boolean prefixCaching,
      EnergyBooks energy) {
    this.engine = engine;
    this.prefixCaching = prefixCaching;
    this.energy = energy;
    this.capacity = capacity;
    this.roofline = roofline;
    this.gpuCount = gpuCount;
  }

  void attach(ReplicaKv owner) {
    this.owner = owner;
  }

  /** See {@link Replica#useTiers}. */
  void use(KvTiers tiers, int node, int gpu, int placement, int reuse, long ttlNs, ConnectorRules connector) {
    this.tiers = tiers != null && tiers.any(node) ? tiers : null;
    this.connector = connector;
    this.node = node;
    this.gpu = gpu;
    this.placement = placement;
    this.reuse = reuse;
    this.ttlNs = ttlNs;
    owner.memory().ttlNs(ttlNs);
    if (tiers != null) {
      tiers.addHbm((long) (capacity.blocks() * capacity.blockBytes()) * gpuCount);
    }
    if (this.tiers != null && owner.memory().prefix() != null) {
      blocks = this.tiers.blockTable(node, bytes(1));
      if (blocks != null) { // an evicted prefix block goes down to the node's first lower tier
        owner.memory().onPrefixEvicted((key, now) -> this.tiers.spillBlock(blocks, key, this.node, this.gpu,
            gpuCount, now));
      }
    }
  }

  /** Bytes of {@code blocks} KV blocks over the replica's GPUs. */
  private long bytes(long blocks) {
    return (long) Math.ceil(blocks * capacity.blockBytes()) * gpuCount;
  }

  /**
   * A sequence is being admitted (its blocks are being taken): the KV tokens its prefill finds.
   * Records where the KV was found; a copy below HBM is loaded (the sequence's {@code loadTier}
   * is set: it waits for the copy before its prefill) or recomputed, as {@code kv.reuse} says.
   */
  long heldAtAdmission(Sequence q, KvSegment seg, long now) {
    Request r = q.request;
    boolean first = r.admittedNs < 0;
    long history = r.contextTokens - r.newTokens;
    long held = seg.tokens();
    int found = held > 0 ? Tiers.HBM : Tiers.NONE;
    if (tiers != null && seg.blocks() == 0 && seg.lower.tier() > 0) {
      found = seg.lower.tier();
      if (decideLoad(r, seg, history)) {
        held = seg.lower.tokens();
        q.loadTier = found;
      } else {
        tiers.remove(seg.lower);
      }
    }
    if (first) {
      r.kvTier = found;
      long cached = capacity.kvBytesPerToken() > 0 ? held - held % capacity.blockTokens() : held;
      r.recomputedTokens = Math.max(0, history - cached);
      if (tiers != null && history > 0) {
        tiers.lookup(node, found);
      }
    }
    return held;
  }

  /**
   * A keyed prompt (a trace's hashed blocks) was admitted: its KV was found in HBM's prefix cache
   * if any of it was cached; where HBM's cached prefix ends on a block, the consecutive blocks of
   * its chain held in the lower tier are loaded (or recomputed, as {@code kv.reuse} says); returns true.
   */
  boolean keyedAdmitted(Sequence q, long now) {
    Request r = q.request;
    if (r.admittedNs >= 0) {
      return true;
    }
    boolean hbmHit = r.cachedTokens > 0;
    r.kvTier = hbmHit ? Tiers.HBM : Tiers.NONE;
    int blockTokens = capacity.blockTokens();
    int hitBlocks = (int) (r.cachedTokens / blockTokens);
    int lowerBlocks = -1; // the lower tier's blocks found; -1: not looked in
    if (blocks != null && r.cachedTokens == (long) hitBlocks * blockTokens) { // the HBM prefix ends on a block
      int n = tiers.matchBlocks(blocks, q.pinnedKeys, hitBlocks, r.blockKeys.length);
      lowerBlocks = hitBlocks < r.blockKeys.length ? n : -1;
      long extra = Math.min((long) n * blockTokens, r.contextTokens + r.recomputeTokens - 1 - r.cachedTokens);
      if (n > 0 && extra > 0 && (reuse == LOAD || reuse == AUTO && tiers.mover().estimateS(blocks.tier(),
          Tiers.HBM, node, gpu, gpuCount, n * bytes(1)) <= recomputeS(r.contextTokens - r.cachedTokens - extra, extra))) {
        q.loadTier = blocks.tier();
        q.loadFrom = hitBlocks;
        q.loadCount = n;
        // a hit as if the blocks were in HBM: the lookup counts a fully matched prompt whole, so
        // the credit may exceed the cached tokens by the last token (always computed)
        lowerTierHitTokens += Math.min((long) n * blockTokens, r.contextTokens - r.cachedTokens);
        r.cachedTokens += extra;
        r.kvTier = blocks.tier();
      }
    }
    if (tiers != null && r.blockKeys != null && r.blockKeys.length > 0) { // one lookup per keyed prompt
      tiers.lookupBlocks(blocks, hbmHit, lowerBlocks);
    }
    r.recomputedTokens = Math.max(0, r.contextTokens - r.newTokens - r.cachedTokens);
    return true;
  }

  /** Keyed prompt tokens loaded from a lower tier: prefix hits below HBM (recomputed ones are not). */
  long lowerTierHitTokens() {
    return lowerTierHitTokens;
  }

  /** load, recompute, or auto: the copy's time on idle links against the roofline's extra prefill time. */
  private boolean decideLoad(Request r, KvSegment seg, long history) {
    if (reuse != AUTO) {
      return reuse == LOAD;
    }
    double loadS = tiers.mover().estimateS(seg.lower.tier(), Tiers.HBM, node, gpu, gpuCount, seg.lower.bytes());
    return loadS <= recomputeS(r.newTokens, seg.lower.tokens());
  }

  /** Seconds of prefill the history adds: the prompt with its history computed, less the prompt after it cached. */
  double recomputeS(long newTokens, long historyTokens) {
    work.clear();
    work.addPrefillChunk(newTokens + historyTokens, 0, true);
    roofline.cost(work, cost);
    double whole = cost.totalS();
    work.clear();
    work.addPrefillChunk(newTokens, historyTokens, true);
    roofline.cost(work, cost);
    return whole - cost.totalS();
  }

  /** Starts loading an admitted sequence's KV from its tier; returns the handle {@link #cancel} takes. */
  long load(Sequence q, long now, long serial) {
    q.loadStartNs = now;
    if (connector.syncLoads()) {
      syncLoads++;
    }
    if (q.loadCount > 0) { // a keyed prompt's blocks
      int count = q.loadCount;
      q.loadCount = 0;
      return tiers.loadBlocks(blocks, q.pinnedKeys, q.loadFrom, count, node, gpu, gpuCount, now, this, serial);
    }
    return tiers.load(q.request.conversation.kv.lower, now, this, serial);
  }

  @Override
  public void moved(long serial, long nowNs) {
    if (connector.syncLoads()) {
      syncLoads--;
    }
    Sequence q = owner.loadedFromTier(serial);
    q.request.loadNs = nowNs - q.loadStartNs;
    tiers.loaded(q.loadTier, node, q.request.loadNs);
  }

  /** Calls off a sequence's copy in transit: a tier load, or swap's engine event. */
  void cancel(Sequence q) {
    if (q.loadTier > 0 && q.tierLoadHandle >= 0) {
      tiers.mover().cancel(q.tierLoadHandle);
      q.tierLoadHandle = -1;
      if (connector.syncLoads()) {
        syncLoads--;
      }
    }
  }

  /** HBM eviction took a segment whole: its KV moves down to the first lower tier with room (else it is gone). */
  void evicted(KvSegment seg, long now) {
    energy.leaveResidency((Conversation) seg.tenant, now);
    if (tiers == null || seg.evictedTokens() == 0 || connector.active()) { // a connector wrote what it keeps
      return;
    }
    if (seg.lower.tier() > 0 && seg.lower.tokens() == seg.evictedTokens()) {
      return; // written through already: the copy below is current
    }
    tiers.place(seg, Tiers.HBM, node, gpu, gpuCount, seg.evictedTokens(), bytes(seg.evictedBlocks()), now);
  }

  /**
   * Places a pre-aged conversation's history in HBM as the stack would hold it between turns (its
   * last reply's last token never written): idle, the most recently active so far, evicting older
   * ones if the pool is full; a history that cannot fit is left to be recomputed.
   */
  void placeHistory(Conversation c, long now) {
    KvMemory kv = owner.memory();
    KvSegment seg = c.kv;
    long tokens = Math.max(0, c.historyTokens - 1);
    kv.shrink(seg, 0, 0); // nothing is held until it is placed
    if (!prefixCaching || tokens == 0) {
      return;
    }
    long blocks = capacity.blocksFor(roofline.architecture().heldTokens(tokens));
    if (blocks > capacity.blocks() || !kv.reclaim(blocks, now, seg)) {
      return;
    }
    kv.grant(seg, blocks, tokens);
    energy.joinResidency(c, now);
    kv.unpin(seg, now);
  }

  /** A turn ended and its conversation's KV is idle in HBM: the placement policy applies. */
  void turnEnded(Conversation c, long now) {
    KvSegment seg = c.kv;
    int remaining = c.script.remainingTurns();
    seg.expectTurns(remaining >= 0 ? remaining : 1); // unknown (a trace): another turn is coming, at least
    switch (placement) {
      case TierPlacement.DROP -> owner.drop(c, now);
      case TierPlacement.WRITE_THROUGH -> {
        if (tiers != null && seg.blocks() > 0 && !connector.active()) { // a connector writes its own
          tiers.place(seg, Tiers.HBM, node, gpu, gpuCount, seg.tokens(), bytes(seg.blocks()), now);
        }
      }
      case TierPlacement.DEMOTE_ON_IDLE -> {
        long serial = nextDemotion++;
        demoting.put(serial, seg);
        engine.schedule(now + ttlNs, Phase.STATE, serial, demoteIdle, serial);
      }
      default -> { }
    }
  }

  private void demoteIfIdle(KvSegment seg, long now) {
    if (seg.idle() && now - seg.idleSinceNs() >= ttlNs) {
      owner.memory().evictIdle(seg, now);
    }
  }

  /** A synchronous connector's loads in flight (0 with an asynchronous one or none). */
  int syncLoads() {
    return syncLoads;
  }

  /** A conversation's prompt is computed: a connector writing at the prefill's end copies its stored chunks down. */
  void promptComputed(Sequence q, long now) {
    if (tiers != null && q.pinnedKeys == null && connector.writesAtPrefillEnd()) {
      long prompt = q.request.contextTokens;
      write(q.request.conversation.kv, connector.storedTokens(prompt, prompt), now);
    }
  }

  /** A conversation's reply is done: a connector writing then copies down what it stores of the turn's KV. */
  void replyDone(Sequence q, long now) {
    Request r = q.request;
    if (tiers != null && q.pinnedKeys == null && connector.writesAtReplyEnd()) {
      write(r.conversation.kv, connector.storedTokens(r.contextTokens, r.finalKvTokens()), now);
    }
  }

  /** Copies {@code tokens} of a segment's KV (its blocks' bytes) below HBM, unless its copy there holds as many. */
  private void write(KvSegment seg, long tokens, long now) {
    if (tokens > 0 && (seg.lower.tier() < 0 || seg.lower.tokens() < tokens)) {
      tiers.write(seg, node, gpu, gpuCount, tokens,
          bytes(capacity.blocksFor(roofline.architecture().heldTokens(tokens))), now);
    }
  }

  /** The conversation's KV is freed on this replica (ended, moved, preempted): its copy below goes too. */
  void dropped(Conversation c) {
    if (tiers != null) {
      tiers.remove(c.kv.lower);
    }
  }
}
