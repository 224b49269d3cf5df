package dev.tokentherm.kv.tier;

import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvSegment;

/**
 * The KV tiers below HBM for the whole cluster: each node's DRAM and NVMe and the remote pool
 * (any of them absent), where conversations' KV waits between turns. A conversation's copy lives
 * in one lower tier at a time ({@link TierCopy}, on its segment). Placing a copy takes the first
 * tier below the source with the capacity for it, making room there by moving that tier's victims
 * (in the eviction policy's order) one tier down, the last tier dropping them. Every copy is timed
 * by the {@link TierMover}; this class keeps the bytes, hits and misses of each tier.
 */
public final class KvTiers {
  /** {@code [node][tier]}: DRAM and NVMe per node, the one remote pool shared by every node; null: absent. */
  private final TierStore[][] stores;
  private final TierStore[] distinct;
  private final TierMover mover;
  private final double[] joulesPerByte;
  private final EvictionPolicy policy;
  private final long ttlNs;
  private final boolean leak;
  // the HBM tier's own figures (its bytes live in each replica's KvMemory)
  long hbmCapacityBytes;
  long hbmHits;
  long hbmMisses;
  long hbmBytesIn;
  long hbmBytesOut;
  long hbmLoadNs;
  /** Per tier: energy of the bytes copied into and out of it, J (HBM: 0 per byte, the GPU meters count it). */
  private final double[] energyJ = new double[Tiers.COUNT];

  /**
   * @param dramBytes per node: the DRAM tier's capacity (0: none), taken from {@code host}
   * @param nvmeBytes per node: the NVMe tier's capacity (0: none)
   * @param remoteBytes the remote pool's capacity (0: none)
   * @param joulesPerByte per tier: energy of a byte copied into or out of it
   * @param leak test fault: freed copies' bytes are not counted out (the tier law must catch it)
   */
  public KvTiers(long[] dramBytes, HostMemory[] host, long[] nvmeBytes, long remoteBytes, TierMover mover,
      double[] joulesPerByte, EvictionPolicy policy, long ttlNs, boolean leak) {
    int nodes = dramBytes.length;
    this.stores = new TierStore[nodes][Tiers.COUNT];
    TierStore remote = remoteBytes > 0 ? new TierStore(Tiers.REMOTE, remoteBytes, null) : null;
    java.util.List<TierStore> all = new java.util.ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      stores[n][Tiers.DRAM] = dramBytes[n] > 0 ? new TierStore(Tiers.DRAM, dramBytes[n], host[n]) : null;
      stores[n][Tiers.NVME] = nvmeBytes[n] > 0 ? new TierStore(Tiers.NVME, nvmeBytes[n], null) : null;
      stores[n][Tiers.REMOTE] = remote;
      for (int t = Tiers.DRAM; t <= Tiers.NVME; t++) {
        if (stores[n][t] != null) {
          all.add(stores[n][t]);
        }
      }
    }
    if (remote != null) {
      all.add(remote);
    }
    this.distinct = all.toArray(new TierStore[0]);
    this.mover = mover;
    this.joulesPerByte = joulesPerByte;
    this.policy = policy;
    this.ttlNs = ttlNs;
    this.leak = leak;
  }

  public TierMover mover() {
    return mover;
  }

  /** Adds a replica's HBM to the HBM tier's capacity (setup). */
  public void addHbm(long bytes) {
    hbmCapacityBytes += bytes;
  }

  /** Whether a node has any tier below HBM. */
  public boolean any(int node) {
    return stores[node][Tiers.DRAM] != null || stores[node][Tiers.NVME] != null || stores[node][Tiers.REMOTE] != null;
  }

  /**
   * Copies a segment's KV ({@code tokens}, {@code bytes} over all its replica's GPUs) from tier
   * {@code fromTier} of node {@code node} (the replica's first GPU and its GPU count) to the first tier below with room; returns that tier, or
   * {@link Tiers#NONE} (nothing copied) when none can take it. A copy it held before is replaced.
   */
  public int place(KvSegment s, int fromTier, int node, int gpu, int gpus, long tokens, long bytes, long nowNs) {
    return place(s, fromTier, node, gpu, gpus, tokens, bytes, s.idleSinceNs(), nowNs);
  }

  /**
   * A KV connector writes {@code tokens} of a segment's KV ({@code bytes}) from HBM while the
   * segment may be in use: as {@link #place}, its copy the most recently used in the tier it lands in.
   */
  public int write(KvSegment s, int node, int gpu, int gpus, long tokens, long bytes, long nowNs) {
    return place(s, Tiers.HBM, node, gpu, gpus, tokens, bytes, nowNs, nowNs);
  }

  private int place(KvSegment s, int fromTier, int node, int gpu, int gpus, long tokens, long bytes, long sinceNs,
      long nowNs) {
    TierCopy c = s.lower;
    if (c.tier >= 0) {
      remove(c);
    }
    c.node = node;
    c.gpu = gpu;
    c.gpus = gpus;
    c.tokens = tokens;
    c.bytes = bytes;
    c.sinceNs = sinceNs;
    return copyDown(c, fromTier, nowNs);
  }

  /** Moves an unplaced copy from {@code fromTier} into the first tier below with room; its tier or NONE. */
  private int copyDown(TierCopy c, int fromTier, long nowNs) {
    for (int t = fromTier + 1; t < Tiers.COUNT; t++) {
      TierStore store = stores[c.node][t];
      if (store == null || !store.couldFit(c.bytes) || !makeRoom(store, c.bytes, nowNs)) {
        continue;
      }
      store.add(c);
      c.tier = t;
      mover.start(fromTier, t, c.node, c.gpu, c.gpus, c.bytes, nowNs, null, 0);
      charge(fromTier, c.bytes);
      charge(t, c.bytes);
      if (fromTier == Tiers.HBM) {
        hbmBytesOut += c.bytes;
      }
      return t;
    }
    c.tier = Tiers.NONE;
    return Tiers.NONE;
  }

  /**
   * Moves the store's victims one tier down until {@code bytes} fit; false if they cannot. A
   * conversation's copy and a prefix block compete as HBM's two tenants do (the policy's choice by
   * the age of each one's candidate); a prefix block is dropped, never moved further down.
   */
  private boolean makeRoom(TierStore store, long bytes, long nowNs) {
    while (!store.fits(bytes)) {
      TierCopy victim = victim(store, nowNs);
      TierBlocks blocks = oldestBlocks(store);
      long copySince = victim == null ? Long.MAX_VALUE : victim.sinceNs;
      long blockSince = blocks == null ? Long.MAX_VALUE : blocks.oldestNs();
      int choice = policy.next(copySince, blockSince);
      if (choice == EvictionPolicy.PREFIX && blocks != null) {
        blocks.sinceNs.removeFirstLong();
        store.removeBlocks(blocks.bytesPerBlock, !leak);
      } else if (choice == EvictionPolicy.SEGMENT && victim != null) {
        store.remove(victim, !leak);
        copyDown(victim, store.tier, nowNs);
      } else {
        return false;
      }
    }
    return true;
  }

  private static TierBlocks oldestBlocks(TierStore store) {
    TierBlocks oldest = null;
    for (TierBlocks t : store.blockTables) {
      if (!t.sinceNs.isEmpty() && (oldest == null || t.oldestNs() < oldest.oldestNs())) {
        oldest = t;
      }
    }
    return oldest;
  }

  /**
   * A replica's table of prefix blocks in the node's first tier below HBM (DRAM, else NVMe; the
   * remote pool holds conversations only), {@code bytesPerBlock} each; null when the node has neither.
   */
  public TierBlocks blockTable(int node, long bytesPerBlock) {
    TierStore store = stores[node][Tiers.DRAM] != null ? stores[node][Tiers.DRAM] : stores[node][Tiers.NVME];
    if (store == null) {
      return null;
    }
    TierBlocks t = new TierBlocks(store, bytesPerBlock);
    store.blockTables.add(t);
    return t;
  }

  /** HBM evicted a cached prefix block: it goes to the replica's table if the tier can make room. */
  public void spillBlock(TierBlocks t, long key, int node, int gpu, int gpus, long nowNs) {
    if (t.sinceNs.containsKey(key)) {
      t.sinceNs.putAndMoveToLast(key, nowNs);
      return;
    }
    if (!t.store.couldFit(t.bytesPerBlock) || !makeRoom(t.store, t.bytesPerBlock, nowNs)) {
      return;
    }
    t.store.addBlocks(t.bytesPerBlock);
    t.sinceNs.put(key, nowNs);
    mover.start(Tiers.HBM, t.store.tier, node, gpu, gpus, t.bytesPerBlock, nowNs, null, 0);
    charge(Tiers.HBM, t.bytesPerBlock);
    charge(t.store.tier, t.bytesPerBlock);
    hbmBytesOut += t.bytesPerBlock;
  }

  /** Blocks {@code keys[from..to)} held in the table, counted from {@code from} until the first absent one. */
  public int matchBlocks(TierBlocks t, long[] keys, int from, int to) {
    int n = 0;
    while (from + n < to && t.sinceNs.containsKey(keys[from + n])) {
      n++;
    }
    return n;
  }

  /**
   * Starts loading {@code keys[from..from+count)} from the table into HBM: they leave the tier now
   * (a hit there), {@code done} hears {@code token} when they are in HBM. Returns the mover's handle.
   */
  public long loadBlocks(TierBlocks t, long[] keys, int from, int count, int node, int gpu, int gpus, long nowNs,
      TierMover.Done done, long token) {
    for (int i = from; i < from + count; i++) {
      t.sinceNs.remove(keys[i]);
    }
    long bytes = count * t.bytesPerBlock;
    t.store.removeBlocks(bytes, !leak);
    charge(t.store.tier, bytes);
    charge(Tiers.HBM, bytes);
    hbmBytesIn += bytes;
    return mover.start(t.store.tier, Tiers.HBM, node, gpu, gpus, bytes, nowNs, done, token);
  }

  private TierCopy victim(TierStore store, long nowNs) {
    if (store.copies.isEmpty()) {
      return null;
    }
    if (policy.byAge()) {
      return store.copies.first();
    }
    TierCopy best = null;
    double bestRank = 0;
    for (TierCopy c : store.copies) {
      double rank = policy.victimRank(c.sinceNs, c.bytes, c.owner.expectedTurns(), nowNs, ttlNs);
      if (best == null || rank < bestRank) {
        best = c;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Frees a segment's lower copy (its conversation ended or moved, or its KV went back to HBM). */
  public void remove(TierCopy c) {
    if (c.tier >= 0) {
      stores[c.node][c.tier].remove(c, !leak);
      c.tier = Tiers.NONE;
    }
  }

  /**
   * A turn looks for its conversation's KV: counts a hit in the tier it is found in ({@code
   * foundTier}: HBM, a lower tier, or NONE) and a miss in each tier above it on the node.
   */
  public void lookup(int node, int foundTier) {
    int last = foundTier < 0 ? Tiers.COUNT - 1 : foundTier - 1;
    for (int t = Tiers.HBM; t <= last; t++) {
      if (t == Tiers.HBM) {
        hbmMisses++;
      } else if (stores[node][t] != null) {
        stores[node][t].misses++;
      }
    }
    if (foundTier == Tiers.HBM) {
      hbmHits++;
    } else if (foundTier > 0) {
      stores[node][foundTier].hits++;
    }
  }

  /**
   * A keyed prompt (a trace's hashed prefix blocks) looked for its prefix, once, at admission: HBM's
   * prefix cache counts a hit when it held some of the prompt, else a miss; the table's tier (the
   * node's first tier below HBM), when it was looked in ({@code lowerBlocks} ≥ 0: HBM's prefix ended
   * on a block short of the prompt's), a hit when it held the next blocks of the chain (loaded or,
   * as kv.reuse says, recomputed), else a miss. Tiers not looked in count nothing (the remote pool
   * holds no prefix blocks).
   */
  public void lookupBlocks(TierBlocks t, boolean hbmHit, int lowerBlocks) {
    if (hbmHit) {
      hbmHits++;
    } else {
      hbmMisses++;
    }
    if (t != null && lowerBlocks > 0) {
      t.store.hits++;
    } else if (t != null && lowerBlocks == 0) {
      t.store.misses++;
    }
  }

  /**
   * Starts loading a copy back into HBM: its bytes leave the tier now (the HBM blocks are taken),
   * {@code done} hears {@code token} when they are there. Returns the mover's handle.
   */
  public long load(TierCopy c, long nowNs, TierMover.Done done, long token) {
    int from = c.tier;
    long handle = mover.start(from, Tiers.HBM, c.node, c.gpu, c.gpus, c.bytes, nowNs, done, token);
    charge(from, c.bytes);
    charge(Tiers.HBM, c.bytes);
    hbmBytesIn += c.bytes;
    remove(c);
    return handle;
  }

  /** A load from {@code tier} took {@code ns} (the copy's time, waiting for its path included). */
  public void loaded(int tier, int node, long ns) {
    stores[node][tier].loadNs += ns;
    hbmLoadNs += ns;
  }

  private void charge(int tier, long bytes) {
    energyJ[tier] += joulesPerByte[tier] * bytes;
  }

  /** Each tier below HBM that is present, per node (DRAM, NVMe) then the remote pool. */
  public TierStore[] stores() {
    return distinct;
  }

  /** Per tier, summed over its stores: capacity, peak (Σ of each store's peak), hits, misses, bytes, load s, energy. */
  public Totals totals(int tier) {
    if (tier == Tiers.HBM) {
      return new Totals(hbmCapacityBytes, 0, hbmHits, hbmMisses, hbmBytesIn, hbmBytesOut, hbmLoadNs * 1e-9, 0);
    }
    long cap = 0;
    long peak = 0;
    long hits = 0;
    long misses = 0;
    long in = 0;
    long out = 0;
    long loadNs = 0;
    for (TierStore s : distinct) {
      if (s.tier == tier) {
        cap += s.capacityBytes;
        peak += s.peakBytes;
        hits += s.hits;
        misses += s.misses;
        in += s.bytesIn;
        out += s.bytesOut;
        loadNs += s.loadNs;
      }
    }
    return new Totals(cap, peak, hits, misses, in, out, loadNs * 1e-9, energyJ[tier]);
  }

  /** Bytes a tier below HBM holds now, summed over its stores. */
  public long usedBytes(int tier) {
    long used = 0;
    for (TierStore s : distinct) {
      if (s.tier == tier) {
        used += s.usedBytes;
      }
    }
    return used;
  }

  /** One tier's figures for the summary. */
  public record Totals(long capacityBytes, long peakBytes, long hits, long misses, long bytesIn, long bytesOut,
      double loadS, double energyJ) {}

  /**
   * The tier law: in every store, bytes in = bytes out + bytes resident (recounted from its
   * copies), and the bytes held never exceed the capacity. Returns the first breach, or null.
   */
  public String check() {
    for (TierStore s : distinct) {
      long resident = s.residentBytes();
      if (s.bytesIn != s.bytesOut + resident) {
        return "KV tier " + Tiers.name(s.tier) + ": " + s.bytesIn + " B in != " + s.bytesOut + " B out + "
            + resident + " B resident";
      }
      if (s.usedBytes != resident || s.peakBytes > s.capacityBytes) {
        return "KV tier " + Tiers.name(s.tier) + ": holds " + s.usedBytes + " B (recounted " + resident
            + " B, peak " + s.peakBytes + " B) of a " + s.capacityBytes + " B capacity";
      }
    }
    return null;
  }
}
