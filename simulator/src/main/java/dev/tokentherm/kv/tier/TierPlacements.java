package dev.tokentherm.kv.tier;

/** The placements scenarios name ({@code kv.placement}, registered in {@code registry.PolicyRegistry}). */
public final class TierPlacements {
  private TierPlacements() {}

  public static final TierPlacement KEEP = TierPlacement.of("keep", TierPlacement.KEEP);
  public static final TierPlacement WRITE_THROUGH = TierPlacement.of("write-through", TierPlacement.WRITE_THROUGH);
  public static final TierPlacement DEMOTE_ON_IDLE = TierPlacement.of("demote-on-idle", TierPlacement.DEMOTE_ON_IDLE);
  public static final TierPlacement DROP = TierPlacement.of("drop", TierPlacement.DROP);
}
