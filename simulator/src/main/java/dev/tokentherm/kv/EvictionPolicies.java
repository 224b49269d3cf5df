package dev.tokentherm.kv;

import java.util.List;

/** The eviction policies scenarios name ({@code kv.eviction}), registered here. */
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

  private static final List<EvictionPolicy> ALL = List.of(LRU);

  /** The registered policy of that name. */
  public static EvictionPolicy byName(String name) {
    for (EvictionPolicy p : ALL) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown eviction policy '" + name + "'; allowed: " + names());
  }

  /** Registered names, in order. */
  public static List<String> names() {
    List<String> out = new java.util.ArrayList<>();
    for (EvictionPolicy p : ALL) {
      out.add(p.name());
    }
    return out;
  }
}
