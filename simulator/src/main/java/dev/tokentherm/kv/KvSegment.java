package dev.tokentherm.kv;

/**
 * A conversation's KV on its replica, as one aggregate: the tokens whose KV is held and the blocks
 * holding them (never one object per block). Only {@link KvMemory} changes it; the conversation
 * that owns it is its {@link #tenant}, handed back when the segment is evicted whole.
 */
public final class KvSegment {
  /** The conversation this segment belongs to (the replica's eviction callback receives it). */
  public final Object tenant;
  long tokens;
  long blocks;
  /** In the owner's eviction order (the conversation is not being served). */
  boolean idle;
  /** When it became evictable, ns (the LRU stamp). */
  long idleSinceNs;
  /** The turns its conversation is expected to have still (the expected-reuse eviction's numerator). */
  double expectedTurns = 1;
  /** Tokens and blocks it held when last evicted whole (what a demotion copies down). */
  long evictedTokens;
  long evictedBlocks;
  /** Its copy in a tier below HBM, if any ({@link dev.tokentherm.kv.tier.KvTiers} keeps it). */
  public final dev.tokentherm.kv.tier.TierCopy lower = new dev.tokentherm.kv.tier.TierCopy(this);

  /** A segment holding {@code preloadedTokens} tokens of history whose blocks its first admission takes. */
  public KvSegment(Object tenant, long preloadedTokens) {
    this.tenant = tenant;
    this.tokens = preloadedTokens;
  }

  /** Tokens whose KV is held. */
  public long tokens() {
    return tokens;
  }

  /** Blocks held (its tokens' and any fixed state's). */
  public long blocks() {
    return blocks;
  }

  /** True while evictable (its conversation is not being served). */
  public boolean idle() {
    return idle;
  }

  /** When it became evictable, ns. */
  public long idleSinceNs() {
    return idleSinceNs;
  }

  public double expectedTurns() {
    return expectedTurns;
  }

  /** Sets the turns its conversation is expected to have still. */
  public void expectTurns(double turns) {
    this.expectedTurns = turns;
  }

  /** Tokens it held when last evicted whole. */
  public long evictedTokens() {
    return evictedTokens;
  }

  /** Blocks it held when last evicted whole. */
  public long evictedBlocks() {
    return evictedBlocks;
  }
}
