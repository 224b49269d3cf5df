package dev.tokentherm.kv.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrefixCacheTest {
  private static long[] k(long... keys) {
    return keys;
  }

  private static void balanced(PrefixCache c) {
    assertThat(c.blocksAllocated()).isEqualTo(c.blocksFreed() + c.liveBlocks());
    assertThat(c.liveBlocks()).isEqualTo(c.pinnedBlocks() + c.evictableBlocks());
    c.checkInvariants();
  }

  @Test
  void matchIsTheLongestCachedChainPrefix() {
    PrefixCache c = new PrefixCache(16, 16);
    assertThat(c.insert(k(1, 2, 3), 3)).isEqualTo(3);
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(3);
    assertThat(c.match(k(1, 2, 3), 2)).isEqualTo(2);
    assertThat(c.match(k(1, 2, 4), 3)).isEqualTo(2);
    assertThat(c.match(k(1, 3), 2)).isEqualTo(1); // 3 is cached, but under 2, not under 1
    assertThat(c.match(k(2, 3), 2)).isZero();
    assertThat(c.match(k(), 0)).isZero();
    balanced(c);
  }

  @Test
  void aKeyUnderTwoParentsNamesTwoBlocks() {
    PrefixCache c = new PrefixCache(16, 16);
    c.insert(k(1, 9), 2);
    c.insert(k(2, 9), 2);
    assertThat(c.liveBlocks()).isEqualTo(4);
    c.insert(k(1, 9), 2); // present: touched, nothing allocated
    assertThat(c.blocksAllocated()).isEqualTo(4);
    balanced(c);
  }

  @Test
  void lookupCountsHitAndMissTokens() {
    PrefixCache c = new PrefixCache(16, 16);
    assertThat(c.lookup(k(1, 2, 3), 3, 40)).isZero();
    c.insert(k(1, 2, 3), 3);
    assertThat(c.lookup(k(1, 2, 7), 3, 40)).isEqualTo(32);
    assertThat(c.lookup(k(1, 2, 3), 3, 40)).isEqualTo(40); // min(3 × 16, 40)
    assertThat(c.hitTokens()).isEqualTo(72);
    assertThat(c.missTokens()).isEqualTo(48);
    assertThat(c.lookups()).isEqualTo(3);
    assertThat(c.hitRatio()).isEqualTo(72.0 / 120);
  }

  @Test
  void leastRecentlyUsedGoesFirstAndAChainsLastBlockBeforeItsFirst() {
    PrefixCache c = new PrefixCache(4, 16);
    c.insert(k(1, 2), 2);
    c.insert(k(3, 4), 2);
    c.insert(k(1, 2), 2); // touch: [3, 4] is now the least recently used chain
    c.insert(k(5), 1);
    assertThat(c.evictions()).isEqualTo(1);
    assertThat(c.match(k(3, 4), 2)).isEqualTo(1); // its last block went, its first stays
    assertThat(c.match(k(1, 2), 2)).isEqualTo(2);
    c.insert(k(6), 1);
    assertThat(c.match(k(3), 1)).isZero();
    assertThat(c.match(k(1, 2), 2)).isEqualTo(2);
    assertThat(c.match(k(5), 1)).isEqualTo(1);
    balanced(c);
  }

  @Test
  void aChainLongerThanTheCacheKeepsItsLongestPrefixThatFits() {
    PrefixCache c = new PrefixCache(3, 16);
    c.insert(k(7), 1);
    assertThat(c.insert(k(1, 2, 3, 4, 5), 5)).isEqualTo(3);
    assertThat(c.match(k(1, 2, 3, 4, 5), 5)).isEqualTo(3);
    assertThat(c.match(k(7), 1)).isZero();
    balanced(c);
  }

  @Test
  void pendingBlocksAreSharedButNeverHitUntilInserted() {
    PrefixCache c = new PrefixCache(8, 16);
    assertThat(c.acquire(k(1, 2, 3), 3)).isTrue();
    assertThat(c.match(k(1, 2, 3), 3)).isZero();
    assertThat(c.present(k(1, 2, 3), 3)).isEqualTo(3);
    assertThat(c.acquire(k(1, 2), 2)).isTrue(); // shares the pending blocks
    assertThat(c.liveBlocks()).isEqualTo(3);
    c.insert(k(1, 2, 3), 3);
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(3);
    assertThat(c.evictableBlocks()).isZero();
    c.release(k(1, 2, 3), 3);
    assertThat(c.evictableBlocks()).isEqualTo(1);
    c.release(k(1, 2), 2);
    assertThat(c.evictableBlocks()).isEqualTo(3);
    assertThat(c.pinnedBlocks()).isZero();
    balanced(c);
  }

  @Test
  void releasingABlockThatWasNeverComputedFreesIt() {
    PrefixCache c = new PrefixCache(8, 16);
    c.insert(k(1), 1);
    c.acquire(k(1, 2, 3), 3);
    c.release(k(1, 2, 3), 3);
    assertThat(c.liveBlocks()).isEqualTo(1);
    assertThat(c.blocksFreed()).isEqualTo(2);
    assertThat(c.evictions()).isZero();
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(1);
    balanced(c);
  }

  @Test
  void pinnedBlocksAreNeverEvictedAndAcquireBeyondCapacityFailsCleanly() {
    PrefixCache c = new PrefixCache(4, 16);
    assertThat(c.acquire(k(1, 2, 3), 3)).isTrue();
    c.insert(k(1, 2, 3), 3);
    assertThat(c.acquire(k(7, 8), 2)).isFalse(); // 1 free block, 3 pinned
    assertThat(c.liveBlocks()).isEqualTo(3);
    assertThat(c.blocksAllocated()).isEqualTo(3);
    assertThat(c.acquire(k(1, 2, 3, 4), 4)).isTrue(); // 3 shared, 1 new
    assertThat(c.acquire(k(9), 1)).isFalse();
    assertThat(c.insert(k(5, 6), 2)).isZero(); // nothing evictable: nothing cached
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(3);
    c.release(k(1, 2, 3, 4), 4); // 4 was never computed: freed
    assertThat(c.insert(k(5, 6), 2)).isEqualTo(1);
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(3);
    assertThat(c.evictions()).isZero();
    balanced(c);
  }

  @Test
  void acquireEvictsOnlyUnpinnedBlocksOutsideItsChain() {
    PrefixCache c = new PrefixCache(4, 16);
    c.insert(k(1, 2, 3, 4), 4);
    assertThat(c.acquire(k(1, 2, 5, 6), 4)).isTrue(); // evicts 4 then 3, keeps 1, 2 (shared)
    assertThat(c.evictions()).isEqualTo(2);
    assertThat(c.match(k(1, 2, 3), 3)).isEqualTo(2);
    assertThat(c.acquire(k(1, 9), 2)).isFalse();
    c.release(k(1, 2, 5, 6), 4);
    assertThat(c.liveBlocks()).isEqualTo(2);
    balanced(c);
  }

  @Test
  void misuseIsAClearError() {
    PrefixCache c = new PrefixCache(4, 16);
    c.insert(k(1, 2), 2);
    assertThatThrownBy(() -> c.release(k(1, 2), 2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not pinned");
    assertThatThrownBy(() -> c.match(k(1), 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrefixCache(-2, 16)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrefixCache(4, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.lookup(k(1), 1, -1)).isInstanceOf(IllegalArgumentException.class);
    balanced(c);
  }

  @Test
  void anEmptyCacheCachesNothing() {
    PrefixCache c = new PrefixCache(0, 16);
    assertThat(c.insert(k(1, 2), 2)).isZero();
    assertThat(c.acquire(k(1), 1)).isFalse();
    assertThat(c.acquire(k(), 0)).isTrue();
    assertThat(c.lookup(k(1, 2), 2, 32)).isZero();
    balanced(c);
  }

  @Test
  void unboundedGrowsWithoutEvicting() {
    PrefixCache c = PrefixCache.unbounded(16);
    long[] keys = new long[5_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 7;
    }
    for (int r = 0; r < 3; r++) {
      c.insert(keys, keys.length);
      keys[r] = 100 + r;
    }
    // the second chain diverges at block 0, the third shares the second's block 0
    assertThat(c.liveBlocks()).isEqualTo(5_000 + 5_000 + 4_999);
    assertThat(c.match(keys, keys.length)).isEqualTo(2); // [100, 101] of the third chain
    assertThat(c.evictions()).isZero();
    assertThat(c.freeBlocks()).isEqualTo(Long.MAX_VALUE);
    balanced(c);
  }

  @Test
  void blockKeysSplitMooncakeHashBlocks() {
    long[] out = new long[64];
    assertThat(BlockKeys.expand(k(0, 5), 2, 530, 512, 16, out)).isEqualTo(34); // ceil(530 / 16)
    assertThat(out[0]).isZero();
    assertThat(out[31]).isEqualTo(31);
    assertThat(out[32]).isEqualTo(5 * 32);
    assertThat(out[33]).isEqualTo(5 * 32 + 1);
    assertThat(BlockKeys.expand(k(3), 1, 2_000, 512, 16, out)).isEqualTo(32); // ids cover 512
    assertThat(BlockKeys.fullBlocks(530, 16)).isEqualTo(33);
    assertThat(BlockKeys.blocksFor(0, 16)).isZero();
    assertThatThrownBy(() -> BlockKeys.expand(k(1), 1, 10, 500, 16, out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlockKeys.subBlockKey(-1, 0, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
