package dev.tokentherm.kv.tier;

import dev.tokentherm.kv.KvSegment;

/** A conversation's KV copy in a tier below HBM: one aggregate per segment (tokens and bytes), never per block. */
public final class TierCopy {
  final KvSegment owner;
  int tier = Tiers.NONE;
  int node;
  int gpu;
  int gpus;
  long tokens;
  long bytes;
  /** When it was last used (its conversation's last activity), ns: the lower tier's LRU stamp. */
  long sinceNs;

  public TierCopy(KvSegment owner) {
    this.owner = owner;
  }

  /** The tier holding it, or {@link Tiers#NONE}. */
  public int tier() {
    return tier;
  }

  public long tokens() {
    return tokens;
  }

  public long bytes() {
    return bytes;
  }
}
