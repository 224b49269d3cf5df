package dev.tokentherm.kv.tier;

import it.unimi.dsi.fastutil.longs.Long2LongLinkedOpenHashMap;

/**
 * One replica's hashed prefix blocks (a trace's keyed prompts) in a tier below HBM, per block in
 * primitive storage: key → when it got there (least recently placed first), all of one size.
 * Their bytes count in the node's {@link TierStore} beside the conversations' copies.
 */
public final class TierBlocks {
  final TierStore store;
  final long bytesPerBlock;
  final Long2LongLinkedOpenHashMap sinceNs = new Long2LongLinkedOpenHashMap();

  TierBlocks(TierStore store, long bytesPerBlock) {
    this.store = store;
    this.bytesPerBlock = bytesPerBlock;
  }

  /** The tier holding these blocks. */
  public int tier() {
    return store.tier;
  }

  /** Blocks held. */
  public int size() {
    return sinceNs.size();
  }

  /** When the least recently placed block got here, ns (the table must not be empty). */
  long oldestNs() {
    return sinceNs.get(sinceNs.firstLongKey());
  }

  public boolean contains(long key) {
    return sinceNs.containsKey(key);
  }
}
