package dev.tokentherm.kv.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random operation streams over a small key alphabet, so chains share, diverge and collide. */
class PrefixCachePropertyTest {
  private static final int BLOCK_TOKENS = 4;

  enum Kind { LOOKUP, INSERT, ACQUIRE, RELEASE }

  record Op(Kind kind, long[] keys, int pick) {}

  private static Arbitrary<long[]> chains() {
    return Arbitraries.longs().between(0, 3).array(long[].class).ofMaxSize(7);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.of(Kind.class), chains(), Arbitraries.integers().between(0, 99))
        .as(Op::new).list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<long[]>> requests() {
    return chains().list().ofMaxSize(60);
  }

  @Property(tries = 400)
  void countersBalanceAndPinnedBlocksStay(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = 12) int capacity) {
    PrefixCache c = new PrefixCache(capacity, BLOCK_TOKENS);
    List<long[]> held = new ArrayList<>();
    for (Op op : ops) {
      long[] keys = op.keys();
      int n = keys.length;
      switch (op.kind()) {
        case LOOKUP -> {
          long hit = c.lookup(keys, n, Math.max(0, (long) n * BLOCK_TOKENS - op.pick() % 3));
          assertThat(hit).isLessThanOrEqualTo((long) c.match(keys, n) * BLOCK_TOKENS);
        }
        case INSERT -> {
          int cached = c.insert(keys, n);
          assertThat(c.match(keys, n)).isEqualTo(cached);
        }
        case ACQUIRE -> {
          long free = c.freeBlocks();
          int evictable = c.evictableBlocks();
          int present = c.present(keys, n);
          long allocated = c.blocksAllocated();
          int live = c.liveBlocks();
          int pinned = c.pinnedBlocks();
          if (c.acquire(keys, n)) {
            held.add(keys);
            assertThat((long) n - present).isLessThanOrEqualTo(free + evictable);
          } else {
            // fails only when it must, and changes nothing
            assertThat((long) n - present).isGreaterThan(free + evictable - present);
            assertThat(c.blocksAllocated()).isEqualTo(allocated);
            assertThat(c.liveBlocks()).isEqualTo(live);
            assertThat(c.pinnedBlocks()).isEqualTo(pinned);
          }
        }
        case RELEASE -> {
          if (!held.isEmpty()) {
            long[] chain = held.remove(op.pick() % held.size());
            c.release(chain, chain.length);
          }
        }
      }
      c.checkInvariants();
      assertThat(c.blocksAllocated()).isEqualTo(c.blocksFreed() + c.liveBlocks());
      assertThat(c.liveBlocks()).isLessThanOrEqualTo(capacity);
      for (long[] chain : held) {
        assertThat(c.present(chain, chain.length)).isEqualTo(chain.length);
      }
    }
    for (long[] chain : held) {
      c.release(chain, chain.length);
    }
    assertThat(c.pinnedBlocks()).isZero();
    c.checkInvariants();
  }

  /** Hits of requests with {@code capacity} blocks; checked request by request against the reference. */
  private static long hits(List<long[]> requests, int capacity) {
    PrefixCache c = new PrefixCache(capacity, BLOCK_TOKENS);
    ReferenceLru reference = new ReferenceLru(capacity);
    int[][] chains = ReferenceLru.chainIds(requests);
    long total = 0;
    for (int i = 0; i < requests.size(); i++) {
      long[] keys = requests.get(i);
      int hit = c.match(keys, keys.length);
      assertThat(hit).as("request %d at capacity %d", i, capacity)
          .isEqualTo(reference.request(chains[i]));
      c.insert(keys, keys.length);
      c.checkInvariants();
      total += hit;
    }
    assertThat(c.liveBlocks()).isEqualTo(reference.size());
    return total;
  }

  @Property(tries = 300)
  void hitsEqualTheReferenceLruAndNeverFallAsCapacityGrows(@ForAll("requests") List<long[]> requests) {
    long previous = -1;
    for (int capacity = 0; capacity <= 14; capacity++) {
      long total = hits(requests, capacity);
      assertThat(total).isGreaterThanOrEqualTo(previous);
      previous = total;
    }
  }
}
