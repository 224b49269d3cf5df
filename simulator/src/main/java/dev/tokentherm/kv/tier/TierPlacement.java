package dev.tokentherm.kv.tier;

/**
 * Where a conversation's KV goes when its turn ends ({@code kv.placement}, registered in {@code
 * registry.PolicyRegistry}): the replica applies the answer.
 */
public interface TierPlacement {
  /** Stays in HBM until eviction demotes it (today's behaviour). */
  int KEEP = 0;
  /** Stays in HBM and is copied at once to the first lower tier with room. */
  int WRITE_THROUGH = 1;
  /** Stays in HBM; moves down a tier once idle for {@code kv.idle_ttl_s}. */
  int DEMOTE_ON_IDLE = 2;
  /** Freed at once: the next turn recomputes it. */
  int DROP = 3;

  /** The scenario name ({@code kv.placement}). */
  String name();

  /** One of {@link #KEEP}, {@link #WRITE_THROUGH}, {@link #DEMOTE_ON_IDLE}, {@link #DROP}. */
  int action();

  /** The placement of a name's action. */
  static TierPlacement of(String name, int action) {
    return new TierPlacement() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int action() {
        return action;
      }
    };
  }
}
