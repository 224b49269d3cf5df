package dev.tokentherm.kv.tier;

/** The KV tiers, numbered from the fastest: where a conversation's KV may be between its turns. */
public final class Tiers {
  private Tiers() {}

  /** The KV was found nowhere (first turn, or dropped): its history is recomputed. */
  public static final int NONE = -1;
  /** The replica's GPU memory (the pool {@link dev.tokentherm.kv.KvMemory} owns). */
  public static final int HBM = 0;
  /** The node's host DRAM, shared by its replicas and by swap. */
  public static final int DRAM = 1;
  /** The node's local NVMe. */
  public static final int NVME = 2;
  /** The cluster's remote KV pool, reached over the NICs. */
  public static final int REMOTE = 3;
  public static final int COUNT = 4;

  private static final String[] NAMES = {"hbm", "dram", "nvme", "remote"};

  /** The tier's name in outputs ({@code none} for {@link #NONE}). */
  public static String name(int tier) {
    return tier < 0 ? "none" : NAMES[tier];
  }
}
