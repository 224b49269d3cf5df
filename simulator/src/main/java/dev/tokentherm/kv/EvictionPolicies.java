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
