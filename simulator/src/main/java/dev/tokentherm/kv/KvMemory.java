package dev.tokentherm.kv;

import dev.tokentherm.kv.prefix.PrefixCache;
import it.unimi.dsi.fastutil.objects.ObjectIterator;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.function.ObjLongConsumer;

/**
 * The one owner of a replica's KV memory. Its blocks belong to three tenants: conversation
 * segments ({@link KvSegment}: a conversation's history, held between its turns), the prefix cache
 * (blocks named by a trace's hashes, shared between prompts) and the blocks running sequences take
 * as their KV grows by decode steps (counted in aggregate). Every block taken or freed goes
 * through here and is mirrored in the {@link BlockPool} counters.
 *
 * <p>Room is made by evicting unpinned blocks in the order the {@link EvictionPolicy} gives: an
 * idle segment (its conversation is not being served) or an unpinned cached prefix block. With
 * {@code tailFirst} (vLLM V1, whose free queue receives a finished request's blocks in reverse
 * order) a segment gives up blocks one by one from its tail, so a partly evicted conversation
 * keeps its head and its next turn recomputes only the tail; otherwise a segment is evicted whole.
 * A segment that loses its last block is handed to the eviction callback.
 */
public final class KvMemory {
  private final KvCapacity capacity;
  private final BlockPool pool;
  private final PrefixCache prefix;
  private final EvictionPolicy policy;
  private final boolean tailFirst;
  private final ObjLongConsumer<KvSegment> evicted;
  /** Idle segments, least recently used first. */
  private final ObjectLinkedOpenHashSet<KvSegment> idle = new ObjectLinkedOpenHashSet<>();
  private long idleBlocks;
  private long segmentBlocks;
  private long growthBlocks;
  private long prefixMirrored;
  private long segmentsEvicted;
  private long blocksEvicted;
  private long ttlNs = Long.MAX_VALUE;
  private PrefixSpill prefixSpill;

  /** Where an evicted prefix block's key goes (see {@link #onPrefixEvicted}). */
  public interface PrefixSpill {
    void accept(long key, long nowNs);
  }

  /**
   * @param prefixCaching whether a prefix cache of keyed blocks shares the pool
   * @param tailFirst free an idle segment block by block from its tail (else whole)
   * @param evicted called when a segment has lost its last block to eviction
   */
  public KvMemory(KvCapacity capacity, boolean prefixCaching, EvictionPolicy policy, boolean tailFirst,
      ObjLongConsumer<KvSegment> evicted) {
    this.capacity = capacity;
    this.pool = new BlockPool(capacity.blocks());
    // unbounded: the pool, not the cache, enforces the capacity (and the arrays grow with live blocks)
    this.prefix = prefixCaching ? PrefixCache.unbounded(capacity.blockTokens()) : null;
    this.policy = policy;
    this.tailFirst = tailFirst && capacity.kvBytesPerToken() > 0 && capacity.stateBytesPerSeq() <= 0;
    this.evicted = evicted;
  }

  public KvCapacity capacity() {
    return capacity;
  }

  /** The counters of every block taken and freed. */
  public BlockPool pool() {
    return pool;
  }

  public long free() {
    return pool.free();
  }

  /** The eviction policy's name. */
  public String policyName() {
    return policy.name();
  }

  /** True when idle segments are freed block by block from the tail (vLLM V1), else whole. */
  public boolean tailFirst() {
    return tailFirst;
  }

  /** The prefix cache sharing the pool, or null without prefix caching. */
  public PrefixCache prefix() {
    return prefix;
  }

  /** Σ blocks held by segments, by the owner's own count (the checks recount them elsewhere). */
  public long segmentBlocks() {
    return segmentBlocks;
  }

  /** Blocks taken by decode growth and not yet settled into a segment or freed. */
  public long growthBlocks() {
    return growthBlocks;
  }

  /** Blocks the prefix cache holds (cached or pinned). */
  public long prefixBlocks() {
    return prefix == null ? 0 : prefix.liveBlocks();
  }

  /** Segments evicted whole (conversations whose KV is gone). */
  public long segmentsEvicted() {
    return segmentsEvicted;
  }

  /** Blocks reclaimed by eviction from either tenant. */
  public long blocksEvicted() {
    return blocksEvicted;
  }

  // ------------------------------------------------------------------ segments

  /** The segment is being served: it leaves the eviction order. */
  public void pin(KvSegment s) {
    if (s.idle) {
      idle.remove(s);
      idleBlocks -= s.blocks;
      s.idle = false;
    }
  }

  /** The segment's conversation waits for its next turn: it becomes the most recently used candidate. */
  public void unpin(KvSegment s, long nowNs) {
    if (s.idle) {
      idle.remove(s);
    } else {
      idleBlocks += s.blocks;
      s.idle = true;
    }
    s.idleSinceNs = nowNs;
    idle.add(s);
  }

  /** Takes {@code blocks} free blocks into the segment, which now holds {@code tokens} tokens. */
  public void grant(KvSegment s, long blocks, long tokens) {
    pool.allocate(blocks);
    s.blocks += blocks;
    segmentBlocks += blocks;
    if (s.idle) {
      idleBlocks += blocks;
    }
    s.tokens = tokens;
  }

  /** Frees the segment's blocks beyond {@code keepBlocks}; it now holds {@code tokens} tokens. */
  public void shrink(KvSegment s, long keepBlocks, long tokens) {
    long drop = s.blocks - keepBlocks;
    if (drop > 0) {
      pool.release(drop);
      s.blocks = keepBlocks;
      segmentBlocks -= drop;
      if (s.idle) {
        idleBlocks -= drop;
      }
    }
    s.tokens = tokens;
  }

  /** Frees all of the segment's blocks (its conversation ended, moved or was preempted). */
  public void drop(KvSegment s) {
    pin(s);
    shrink(s, 0, 0);
  }

  /**
   * Test fault: forgets the segment's blocks without freeing them (the bug the KV recount must
   * catch). Never called outside fault injection.
   */
  public void leak(KvSegment s) {
    pin(s);
    segmentBlocks -= s.blocks;
    s.blocks = 0;
    s.tokens = 0;
  }

  // ------------------------------------------------------------------ growth

  /** Takes {@code blocks} free blocks for running sequences' KV growth. */
  public void grow(long blocks) {
    pool.allocate(blocks);
    growthBlocks += blocks;
  }

  /** A sequence's growth blocks join its conversation's segment (its reply is done). */
  public void settleGrowth(KvSegment s, long blocks, long tokens) {
    growthBlocks -= blocks;
    s.blocks += blocks;
    segmentBlocks += blocks;
    s.tokens = tokens;
  }

  /** A sequence's growth blocks are freed (a keyed reply, whose blocks are not cached). */
  public void releaseGrowth(long blocks) {
    growthBlocks -= blocks;
    pool.release(blocks);
  }

  // ------------------------------------------------------------------ prefix chains

  /**
   * Pins a keyed chain of {@code count} blocks (the present prefix shared, the rest taken
   * pending), leaving {@code headroom} more blocks free; false, changing nothing, when eviction
   * cannot make that room.
   */
  public boolean acquire(long[] keys, int count, long headroom, long nowNs) {
    prefix.setClock(nowNs);
    int present = prefix.present(keys, count);
    long missing = count - present;
    long reachable = pool.free() + idleBlocks + prefix.evictableBlocks() - prefix.presentUnpinned(keys, present);
    if (missing + headroom > reachable) {
      return false;
    }
    prefix.acquire(keys, present); // protects the present prefix from the evictions below
    boolean room = reclaim(missing + headroom, nowNs, null);
    if (room) {
      prefix.acquire(keys, count);
    }
    prefix.release(keys, present); // back to one pin per block (none if there was no room)
    syncPrefix();
    return room;
  }

  /** Records a chain's KV as computed: its blocks become reusable. */
  public void insert(long[] keys, int count, long nowNs) {
    prefix.setClock(nowNs);
    prefix.insert(keys, count);
    syncPrefix();
  }

  /** Unpins a chain pinned by {@link #acquire}: computed blocks stay cached, pending ones are freed. */
  public void release(long[] keys, int count, long nowNs) {
    prefix.setClock(nowNs);
    prefix.release(keys, count);
    syncPrefix();
  }

  /**
   * Frees every cached prefix block (the replica shut down and its memory is gone; the chains
   * pinned by its requests were released first, so none is pinned).
   */
  public void dropPrefixCache() {
    if (prefix == null) {
      return;
    }
    while (prefix.evictLeastRecent()) {
      syncPrefix(); // a block at a time, as eviction frees them
    }
  }

  private void syncPrefix() {
    long delta = prefix.liveBlocks() - prefixMirrored;
    if (delta > 0) {
      pool.allocate(delta);
    } else if (delta < 0) {
      pool.release(-delta);
    }
    prefixMirrored += delta;
  }

  // ------------------------------------------------------------------ eviction

  /**
   * Evicts until {@code blocks} blocks are free, in the policy's order, never touching {@code
   * keep} (the segment being admitted); true if they are free.
   */
  public boolean reclaim(long blocks, long nowNs, KvSegment keep) {
    while (pool.free() < blocks) {
      KvSegment oldest = policy.byAge() ? oldestIdle(keep) : rankedIdle(keep, nowNs);
      long segmentSince = oldest == null ? Long.MAX_VALUE : oldest.idleSinceNs;
      long prefixSince = prefix == null ? Long.MAX_VALUE : prefix.oldestEvictableNs();
      int choice = policy.next(segmentSince, prefixSince);
      if (choice == EvictionPolicy.PREFIX && prefixSince != Long.MAX_VALUE) {
        prefix.evictLeastRecent();
        syncPrefix();
        blocksEvicted++;
        if (prefixSpill != null) {
          prefixSpill.accept(prefix.lastEvictedKey(), nowNs);
        }
      } else if (choice == EvictionPolicy.SEGMENT && oldest != null) {
        evictFrom(oldest, blocks - pool.free(), nowNs);
      } else {
        return false;
      }
    }
    return true;
  }

  private KvSegment oldestIdle(KvSegment keep) {
    if (idle.isEmpty()) {
      return null;
    }
    KvSegment first = idle.first();
    if (first != keep) {
      return first;
    }
    ObjectIterator<KvSegment> it = idle.iterator();
    it.next();
    return it.hasNext() ? it.next() : null;
  }

  /** The idle segment the policy ranks first (a scan: only for policies not in LRU order). */
  private KvSegment rankedIdle(KvSegment keep, long nowNs) {
    KvSegment best = null;
    double bestRank = 0;
    for (KvSegment s : idle) {
      if (s == keep) {
        continue;
      }
      double rank = policy.victimRank(s.idleSinceNs, s.blocks, s.expectedTurns, nowNs, ttlNs);
      if (best == null || rank < bestRank) {
        best = s;
        bestRank = rank;
      }
    }
    return best;
  }

  /**
   * Evicts an idle segment whole now (demote-on-idle: its conversation stayed idle past the TTL);
   * the eviction callback hears of it as of any eviction. Nothing happens if it is not idle.
   */
  public void evictIdle(KvSegment s, long nowNs) {
    if (s.idle && s.blocks > 0) {
      blocksEvicted += s.blocks;
      s.evictedTokens = s.tokens;
      s.evictedBlocks = s.blocks;
      drop(s);
      segmentsEvicted++;
      evicted.accept(s, nowNs);
    }
  }

  /** Hears the key of each cached prefix block eviction takes (its KV may go down a tier). */
  public void onPrefixEvicted(PrefixSpill spill) {
    this.prefixSpill = spill;
  }

  /** Sets {@code kv.idle_ttl_s} for the ttl policy, ns. */
  public void ttlNs(long ttlNs) {
    this.ttlNs = ttlNs;
  }

  /** Takes up to {@code wanted} blocks from an idle segment's tail (tail-first), else all of it. */
  private void evictFrom(KvSegment s, long wanted, long nowNs) {
    long take = tailFirst ? Math.min(wanted, s.blocks) : s.blocks;
    long keep = s.blocks - take;
    blocksEvicted += take;
    if (keep == 0) {
      s.evictedTokens = s.tokens;
      s.evictedBlocks = s.blocks;
      drop(s);
      segmentsEvicted++;
      evicted.accept(s, nowNs);
    } else {
      shrink(s, keep, Math.min(s.tokens, keep * capacity.blockTokens()));
    }
  }
}
