package dev.tokentherm.kv.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.kv.EvictionPolicies;
import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvSegment;
import org.junit.jupiter.api.Test;

/** The tiers' books and victim orders on hand-built cases, with a mover that times nothing. */
class KvTiersTest {
  /** A mover whose copies take no time and end nowhere (the books alone are under test). */
  static final TierMover INSTANT = new TierMover() {
    @Override
    public long start(int fromTier, int toTier, int node, int gpu, int gpus, long bytes, long nowNs, Done done,
        long token) {
      return -1;
    }

    @Override
    public void cancel(long handle) {}

    @Override
    public double estimateS(int fromTier, int toTier, int node, int gpu, int gpus, long bytes) {
      return 0;
    }
  };

  private static KvTiers dramOnly(long dramBytes, HostMemory host, EvictionPolicy policy) {
    return new KvTiers(new long[] {dramBytes}, new HostMemory[] {host}, new long[] {0}, 0, INSTANT,
        new double[Tiers.COUNT], policy, 1_000, false);
  }

  private static KvSegment segment(double expectedTurns) {
    KvSegment s = new KvSegment(null, 0);
    s.expectTurns(expectedTurns);
    return s;
  }

  /**
   * Three copies in a DRAM tier of 250 B, placed in order: a (100 B, 5 turns to come), b (50 B,
   * 1 turn), c (100 B, 4 turns); then d (60 B) needs room: 250 − 250 + 60 > 250, one victim.
   * lru: a (placed first). size-aware: a (100 B ties c; the least recently used first). ttl: all
   * idle since 0, now 10,000 ns ≥ the 1,000 ns ttl: all expired, the largest first: a. expected-reuse:
   * turns / bytes = a 0.05, b 0.02, c 0.04: b, whose 50 B leave 200 + 60 > 250, then c. With no
   * tier below, victims are dropped.
   */
  @Test
  void eachPolicyPicksItsVictimOnAHandBuiltCase() {
    assertThat(victim(EvictionPolicies.LRU)).isEqualTo("a");
    assertThat(victim(EvictionPolicies.SIZE_AWARE)).isEqualTo("a");
    assertThat(victim(EvictionPolicies.TTL)).isEqualTo("a");
    assertThat(victim(EvictionPolicies.EXPECTED_REUSE)).isEqualTo("bc");
  }

  @Test
  void sizeAwarePrefersTheLargestEvenWhenRecentlyPlaced() {
    // a 50 B, then b 150 B: size-aware evicts b, lru a
    for (EvictionPolicy p : new EvictionPolicy[] {EvictionPolicies.LRU, EvictionPolicies.SIZE_AWARE}) {
      KvTiers t = dramOnly(200, new HostMemory(1_000), p);
      KvSegment a = segment(1);
      KvSegment b = segment(1);
      t.place(a, Tiers.HBM, 0, 0, 1, 10, 50, 10_000);
      t.place(b, Tiers.HBM, 0, 0, 1, 10, 150, 10_000);
      t.place(segment(1), Tiers.HBM, 0, 0, 1, 10, 60, 10_000);
      assertThat(p == EvictionPolicies.LRU ? a.lower.tier() : b.lower.tier()).isEqualTo(Tiers.NONE);
      assertThat(t.check()).isNull();
    }
  }

  private static String victim(EvictionPolicy policy) {
    KvTiers t = dramOnly(250, new HostMemory(1_000), policy);
    KvSegment a = segment(5);
    KvSegment b = segment(1);
    KvSegment c = segment(4);
    t.place(a, Tiers.HBM, 0, 0, 1, 10, 100, 10_000);
    t.place(b, Tiers.HBM, 0, 0, 1, 10, 50, 10_000);
    t.place(c, Tiers.HBM, 0, 0, 1, 10, 100, 10_000);
    assertThat(t.place(segment(1), Tiers.HBM, 0, 0, 1, 10, 60, 10_000)).isEqualTo(Tiers.DRAM);
    assertThat(t.check()).isNull();
    return (a.lower.tier() < 0 ? "a" : "") + (b.lower.tier() < 0 ? "b" : "") + (c.lower.tier() < 0 ? "c" : "");
  }

  /**
   * One node's host memory of 300 B: swap holds 100 B; the DRAM tier may take 250 B, but only 200 B
   * are left beside swap. Two replicas of the node place 100 B each (200 B held: full), a third
   * copy evicts the oldest; the host never holds more than 300 B and the tier never more than 250 B.
   * Swap then finds no room (the tier holds the rest) until a copy is freed.
   */
  @Test
  void dramSharedByTwoReplicasAndSwapNeverExceedsCapacity() {
    HostMemory host = new HostMemory(300);
    assertThat(host.reserve(100)).isTrue(); // a swapped-out sequence
    KvTiers t = dramOnly(250, host, EvictionPolicies.LRU);
    KvSegment first = segment(1);
    KvSegment second = segment(1);
    KvSegment third = segment(1);
    t.place(first, Tiers.HBM, 0, 0, 1, 10, 100, 0); // replica on GPU 0
    t.place(second, Tiers.HBM, 0, 4, 1, 10, 100, 0); // replica on GPU 4
    assertThat(host.usedBytes()).isEqualTo(300);
    t.place(third, Tiers.HBM, 0, 0, 1, 10, 100, 0);
    assertThat(first.lower.tier()).isEqualTo(Tiers.NONE);
    assertThat(host.usedBytes()).isEqualTo(300);
    assertThat(host.peakBytes()).isEqualTo(300);
    assertThat(host.reserve(1)).isFalse();
    assertThat(t.totals(Tiers.DRAM).peakBytes()).isEqualTo(200);
    t.remove(second.lower);
    assertThat(host.reserve(100)).isTrue();
    assertThat(t.check()).isNull();
    // a copy larger than the room beside swap's 200 B goes nowhere (no tier below), evicting nothing
    assertThat(t.place(segment(1), Tiers.HBM, 0, 0, 1, 10, 101, 0)).isEqualTo(Tiers.NONE);
    assertThat(third.lower.tier()).isEqualTo(Tiers.DRAM);
    assertThat(host.usedBytes()).isLessThanOrEqualTo(300);
    assertThat(t.check()).isNull();
  }

  @Test
  void aFullTierMovesItsVictimDownAndTheLastTierDrops() {
    // DRAM 100 B, NVMe 100 B: a (100 B) then b (100 B): a moves to NVMe; c (100 B): b to NVMe, a dropped
    KvTiers t = new KvTiers(new long[] {100}, new HostMemory[] {new HostMemory(1_000)}, new long[] {100}, 0,
        INSTANT, new double[Tiers.COUNT], EvictionPolicies.LRU, 1_000, false);
    KvSegment a = segment(1);
    KvSegment b = segment(1);
    KvSegment c = segment(1);
    t.place(a, Tiers.HBM, 0, 0, 1, 10, 100, 0);
    t.place(b, Tiers.HBM, 0, 0, 1, 10, 100, 0);
    assertThat(a.lower.tier()).isEqualTo(Tiers.NVME);
    t.place(c, Tiers.HBM, 0, 0, 1, 10, 100, 0);
    assertThat(a.lower.tier()).isEqualTo(Tiers.NONE);
    assertThat(b.lower.tier()).isEqualTo(Tiers.NVME);
    assertThat(c.lower.tier()).isEqualTo(Tiers.DRAM);
    // NVMe: a in and out, b in: 200 in = 100 out + 100 resident
    assertThat(t.totals(Tiers.NVME).bytesIn()).isEqualTo(200);
    assertThat(t.totals(Tiers.NVME).bytesOut()).isEqualTo(100);
    assertThat(t.check()).isNull();
  }

  @Test
  void theTierLawSeesALeak() {
    KvTiers t = new KvTiers(new long[] {100}, new HostMemory[] {new HostMemory(1_000)}, new long[] {0}, 0,
        INSTANT, new double[Tiers.COUNT], EvictionPolicies.LRU, 1_000, true);
    KvSegment a = segment(1);
    t.place(a, Tiers.HBM, 0, 0, 1, 10, 100, 0);
    t.remove(a.lower);
    assertThat(t.check()).isEqualTo("KV tier dram: 100 B in != 0 B out + 0 B resident");
  }

  /**
   * Prefix blocks share a tier with conversations' copies: DRAM of 300 B, blocks of 40 B. Keys 11,
   * 12, 13 spill (120 B), a 150 B copy joins (270 B); a fourth block needs 40 B: 310 > 300, so the
   * older tenant goes: key 11 (placed before the copy, at the same instant: a prefix block first at
   * equal age, as in HBM). A prompt whose chain is 12, 13, 14 finds 2 consecutive blocks from its
   * first (its lookup: a miss in HBM, a hit in DRAM); loading them takes 80 B out. The law holds
   * throughout.
   */
  @Test
  void prefixBlocksShareTheTierWithCopiesPerBlockInPrimitiveStorage() {
    KvTiers t = dramOnly(300, new HostMemory(1_000), EvictionPolicies.LRU);
    TierBlocks table = t.blockTable(0, 40);
    t.spillBlock(table, 11, 0, 0, 1, 0);
    t.spillBlock(table, 12, 0, 0, 1, 0);
    t.spillBlock(table, 13, 0, 0, 1, 0);
    KvSegment copy = segment(1);
    t.place(copy, Tiers.HBM, 0, 0, 1, 10, 150, 0);
    t.spillBlock(table, 99, 0, 0, 1, 0);
    assertThat(table.contains(11)).isFalse();
    assertThat(table.size()).isEqualTo(3);
    assertThat(copy.lower.tier()).isEqualTo(Tiers.DRAM);
    assertThat(t.matchBlocks(table, new long[] {12, 13, 14}, 0, 3)).isEqualTo(2);
    t.lookupBlocks(table, false, 2);
    t.loadBlocks(table, new long[] {12, 13, 14}, 0, 2, 0, 0, 1, 0, null, 0);
    assertThat(table.size()).isEqualTo(1);
    var dram = t.totals(Tiers.DRAM);
    assertThat(dram.bytesIn()).isEqualTo(4 * 40 + 150);
    assertThat(dram.bytesOut()).isEqualTo(40 + 80);
    assertThat(dram.hits()).isEqualTo(1);
    assertThat(dram.misses()).isZero();
    assertThat(t.totals(Tiers.HBM).misses()).isEqualTo(1);
    assertThat(t.usedBytes(Tiers.DRAM)).isEqualTo(40 + 150);
    assertThat(t.check()).isNull();
  }
}
