package dev.tokentherm.kv;

/**
 * Which tenant of a replica's KV memory gives up a block next when admission or a decode step
 * needs room: an idle conversation's segment or an unpinned prefix-cache block. A policy sees
 * only the age of each tenant's least recently used candidate (ns since it was last used, or
 * {@link Long#MAX_VALUE} when the tenant has none) and answers; it changes nothing itself.
 */
public interface EvictionPolicy {
  int SEGMENT = 0;
  int PREFIX = 1;
  int NONE = -1;

  /** The scenario name of the policy ({@code kv.eviction}). */
  String name();

  /**
   * The tenant to take from: {@link #SEGMENT}, {@link #PREFIX}, or {@link #NONE} to refuse.
   *
   * @param segmentSinceNs when the least recently used idle segment was last used, or
   *     Long.MAX_VALUE if there is none
   * @param prefixSinceNs when the least recently used unpinned prefix block was last used, or
   *     Long.MAX_VALUE if there is none
   */
  int next(long segmentSinceNs, long prefixSinceNs);

  /**
   * The victim order among idle conversations' KV (in HBM and in every lower tier): the entry of
   * lowest rank goes first; at equal rank the least recently used. Least recently used by default.
   *
   * @param idleSinceNs when the entry was last used
   * @param bytes its size (any unit common to the entries compared)
   * @param expectedTurns the turns its conversation is expected to have still
   * @param ttlNs {@code kv.idle_ttl_s} in ns
   */
  default double victimRank(long idleSinceNs, long bytes, double expectedTurns, long nowNs, long ttlNs) {
    return idleSinceNs;
  }

  /** True when {@link #victimRank} is the least recently used order (no scan needed). */
  default boolean byAge() {
    return true;
  }
}
