package dev.tokentherm.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KV owner on hand-built pools: one eviction order over both tenants, tail-first or whole. */
class KvMemoryTest {
  /** 10 blocks of 16 tokens, 1 KiB per token (no state). */
  private static final KvCapacity TEN = KvCapacity.fromFormula(1e9, 1, 0, 0, 0, 1024, 0, 16).withMeasuredBlocks(10);

  private final List<Object> evicted = new ArrayList<>();

  private KvMemory memory(boolean prefix, boolean tailFirst, EvictionPolicy policy) {
    return new KvMemory(TEN, prefix, policy, tailFirst, (s, now) -> evicted.add(s.tenant));
  }

  private static KvSegment idleSegment(KvMemory m, String name, long blocks, long idleAtNs) {
    KvSegment s = new KvSegment(name, 0);
    m.grant(s, blocks, blocks * 16);
    m.unpin(s, idleAtNs);
    return s;
  }

  @Test
  void tailFirstTakesOnlyTheBlocksNeededFromTheOldestConversation() {
    KvMemory m = memory(false, true, EvictionPolicies.LRU);
    KvSegment a = idleSegment(m, "a", 4, 1);
    KvSegment b = idleSegment(m, "b", 4, 2);
    // 2 free; 5 wanted: 3 come off a's tail, a keeps its first block (16 tokens), b is untouched
    assertThat(m.reclaim(5, 10, null)).isTrue();
    assertThat(m.free()).isEqualTo(5);
    assertThat(a.blocks()).isEqualTo(1);
    assertThat(a.tokens()).isEqualTo(16);
    assertThat(b.blocks()).isEqualTo(4);
    assertThat(evicted).isEmpty();
    assertThat(m.segmentsEvicted()).isZero();
    assertThat(m.blocksEvicted()).isEqualTo(3);
  }

  @Test
  void wholeConversationEvictionFreesTheOldestEntirely() {
    KvMemory m = memory(false, false, EvictionPolicies.LRU);
    KvSegment a = idleSegment(m, "a", 4, 1);
    idleSegment(m, "b", 4, 2);
    assertThat(m.reclaim(5, 10, null)).isTrue();
    assertThat(m.free()).isEqualTo(6); // 2 + a's 4
    assertThat(a.blocks()).isZero();
    assertThat(evicted).containsExactly("a");
    assertThat(m.segmentsEvicted()).isEqualTo(1);
  }

  @Test
  void theSegmentBeingAdmittedIsNeverItsOwnVictim() {
    KvMemory m = memory(false, true, EvictionPolicies.LRU);
    KvSegment a = idleSegment(m, "a", 4, 1);
    KvSegment b = idleSegment(m, "b", 4, 2);
    // a needs 7 free: b (4) alone cannot give them beside the 2 free: refused, b emptied, a intact
    assertThat(m.reclaim(7, 10, a)).isFalse();
    assertThat(a.blocks()).isEqualTo(4);
    assertThat(b.blocks()).isZero();
    assertThat(evicted).containsExactly("b");
  }

  @Test
  void oneLeastRecentlyUsedOrderOverSegmentsAndPrefixBlocks() {
    KvMemory m = memory(true, true, EvictionPolicies.LRU);
    long[] chain = {101, 102, 103};
    assertThat(m.acquire(chain, 3, 0, 5)).isTrue();
    m.insert(chain, 3, 5);
    m.release(chain, 3, 5); // 3 cached blocks, evictable since t = 5
    KvSegment old = idleSegment(m, "old", 2, 1);
    KvSegment young = idleSegment(m, "young", 2, 9);
    assertThat(m.free()).isEqualTo(3);
    assertThat(m.prefixBlocks()).isEqualTo(3);
    // 6 free wanted: the oldest (segment at t = 1, 2 blocks), then the prefix's leaves (t = 5)
    assertThat(m.reclaim(6, 20, null)).isTrue();
    assertThat(old.blocks()).isZero();
    assertThat(m.prefixBlocks()).isEqualTo(2); // its last block went first (a leaf)
    assertThat(young.blocks()).isEqualTo(2);
    assertThat(m.pool().live()).isEqualTo(m.segmentBlocks() + m.prefixBlocks() + m.growthBlocks());
  }

  @Test
  void aKeyedChainTakesRoomFromIdleConversationsAndKeepsItsOwnCachedPrefix() {
    KvMemory m = memory(true, true, EvictionPolicies.LRU);
    long[] first = {7, 8};
    m.acquire(first, 2, 0, 0);
    m.insert(first, 2, 0);
    m.release(first, 2, 0); // cached at t = 0: the oldest blocks of all
    KvSegment s = idleSegment(m, "s", 8, 1); // the pool is full
    assertThat(m.free()).isZero();
    long[] longer = {7, 8, 9, 10, 11};
    // 3 missing blocks + 1 of headroom: taken from s's tail, not from the chain's own prefix
    assertThat(m.acquire(longer, 5, 1, 2)).isTrue();
    assertThat(s.blocks()).isEqualTo(4);
    assertThat(m.prefixBlocks()).isEqualTo(5);
    assertThat(m.prefix().pinnedBlocks()).isEqualTo(5);
    assertThat(m.free()).isEqualTo(1);
  }

  @Test
  void aChainThatCannotFitChangesNothing() {
    KvMemory m = memory(true, true, EvictionPolicies.LRU);
    KvSegment s = new KvSegment("running", 0);
    m.grant(s, 9, 144); // pinned (being served)
    long[] chain = {1, 2};
    assertThat(m.acquire(chain, 2, 0, 0)).isFalse();
    assertThat(m.prefixBlocks()).isZero();
    assertThat(m.free()).isEqualTo(1);
  }

  @Test
  void aRefusingPolicyReclaimsNothing() {
    KvMemory m = memory(false, true, EvictionPolicies.REFUSE);
    KvSegment a = idleSegment(m, "a", 8, 1);
    assertThat(m.reclaim(3, 10, null)).isFalse();
    assertThat(a.blocks()).isEqualTo(8);
  }

  @Test
  void growthIsCountedUntilItJoinsASegmentOrIsFreed() {
    KvMemory m = memory(false, true, EvictionPolicies.LRU);
    KvSegment s = new KvSegment("c", 0);
    m.grant(s, 2, 20);
    m.grow(3);
    assertThat(m.growthBlocks()).isEqualTo(3);
    m.settleGrowth(s, 2, 52);
    m.releaseGrowth(1);
    assertThat(s.blocks()).isEqualTo(4);
    assertThat(m.growthBlocks()).isZero();
    assertThat(m.pool().live()).isEqualTo(4);
    assertThat(m.pool().allocatedTotal()).isEqualTo(m.pool().freedTotal() + m.pool().live());
  }
}
