package dev.tokentherm.kv;

/** The eviction policies scenarios name ({@code kv.eviction}, registered in {@code registry.PolicyRegistry}), and a test fault. */
public final class EvictionPolicies {
  private EvictionPolicies() {}

  /** Least recently used first, over both tenants; at equal age the prefix block goes first. */
  public static final EvictionPolicy LRU = new EvictionPolicy() {
    @Override
    public String name() {
      return "lru";
    }

    @Override
    public int next(long segmentSinceNs, long prefixSinceNs) {
      if (segmentSinceNs == Long.MAX_VALUE && prefixSinceNs == Long.MAX_VALUE) {
        return NONE;
      }
      return prefixSinceNs <= segmentSinceNs ? PREFIX : SEGMENT;
    }
  };

  /**
   * Idle KV past {@code kv.idle_ttl_s} goes first, largest first (expired KV freed in the fewest
   * evictions); while none has expired, least recently used.
   */
  public static final EvictionPolicy TTL = new Ranked("ttl") {
    @Override
    public double victimRank(long idleSinceNs, long bytes, double expectedTurns, long nowNs, long ttlNs) {
      return nowNs - idleSinceNs >= ttlNs ? -1.0 - bytes : idleSinceNs;
    }
  };

  /** The largest idle KV first (fewest evictions for the room needed). */
  public static final EvictionPolicy SIZE_AWARE = new Ranked("size-aware") {
    @Override
    public double victimRank(long idleSinceNs, long bytes, double expectedTurns, long nowNs, long ttlNs) {
      return -(double) bytes;
    }
  };

  /**
   * The idle KV least likely to be reused per byte first: its conversation's expected remaining
   * turns over its bytes.
   */
  public static final EvictionPolicy EXPECTED_REUSE = new Ranked("expected-reuse") {
    @Override
    public double victimRank(long idleSinceNs, long bytes, double expectedTurns, long nowNs, long ttlNs) {
      return expectedTurns / Math.max(1, bytes);
    }
  };

  /** A policy ranking segments other than by age: LRU between the tenants, its own rank among segments. */
  private abstract static class Ranked implements EvictionPolicy {
    private final String name;

    Ranked(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int next(long segmentSinceNs, long prefixSinceNs) {
      return LRU.next(segmentSinceNs, prefixSinceNs);
    }

    @Override
    public boolean byAge() {
      return false;
    }
  }

  /** A policy that never evicts: a test fault that must end the run as stalled, never hang it. */
  public static final EvictionPolicy REFUSE = new EvictionPolicy() {
    @Override
    public String name() {
      return "refuse";
    }

    @Override
    public int next(long segmentSinceNs, long prefixSinceNs) {
      return NONE;
    }
  };
}
