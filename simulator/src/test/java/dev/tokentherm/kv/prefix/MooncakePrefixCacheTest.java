package dev.tokentherm.kv.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Mooncake traces through the prefix cache, in arrival order with zero service time: each
 * request looks up its chain (hit tokens = min(matched blocks × block tokens, input tokens)), then
 * inserts all its blocks, as its prefill completes at once. Block keys come from {@link BlockKeys}:
 * 16-token blocks, 32 per 512-token hash id, ceil(input / 16) per request.
 */
class MooncakePrefixCacheTest {
  private static final int BLOCK_TOKENS = 16;
  /** Requests of the conversation trace compared block by block at 16 tokens under bounded KV. */
  private static final int FINE_BOUNDED_REQUESTS = 2_500;

  private static MooncakeTrace conversation;
  private static List<long[]> fineKeys; // 16-token block keys per request
  private static List<long[]> coarseKeys; // 512-token block keys (= hash ids) per request

  @BeforeAll
  static void read() {
    conversation = MooncakeTrace.read("mooncake_conversation_trace.jsonl");
    fineKeys = keys(conversation, BLOCK_TOKENS);
    coarseKeys = keys(conversation, MooncakeTrace.HASH_BLOCK_TOKENS);
  }

  private static List<long[]> keys(MooncakeTrace trace, int blockTokens) {
    long[] buffer = new long[trace.maxBlocks(blockTokens)];
    List<long[]> out = new ArrayList<>(trace.requests().size());
    for (MooncakeTrace.Request r : trace.requests()) {
      int count = BlockKeys.expand(r.hashIds(), r.hashIds().length, r.inputTokens(),
          MooncakeTrace.HASH_BLOCK_TOKENS, blockTokens, buffer);
      out.add(Arrays.copyOf(buffer, count));
    }
    return out;
  }

  /** Feeds the first {@code requests} requests; returns each one's hit tokens. */
  private static long[] feed(MooncakeTrace trace, List<long[]> keys, int requests, PrefixCache cache) {
    long[] hits = new long[requests];
    for (int i = 0; i < requests; i++) {
      long[] k = keys.get(i);
      long input = trace.requests().get(i).inputTokens();
      hits[i] = cache.lookup(k, k.length, input);
      int cached = cache.insert(k, k.length);
      if (cache.bounded()) {
        assertThat(cached).isEqualTo(Math.min(k.length, cache.capacityBlocks()));
      } else {
        assertThat(cached).isEqualTo(k.length);
      }
    }
    assertThat(cache.blocksAllocated()).isEqualTo(cache.blocksFreed() + cache.liveBlocks());
    cache.checkInvariants();
    return hits;
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }

  private static String pct(double ratio) {
    return String.format(Locale.ROOT, "%.3f %%", 100 * ratio);
  }

  @Test
  void unboundedConversationHitRatioIs37Point4Percent() {
    int n = conversation.requests().size();
    PrefixCache fine = PrefixCache.unbounded(BLOCK_TOKENS);
    feed(conversation, fineKeys, n, fine);
    PrefixCache coarse = PrefixCache.unbounded(MooncakeTrace.HASH_BLOCK_TOKENS);
    feed(conversation, coarseKeys, n, coarse);
    System.out.printf(Locale.ROOT, "mooncake conversation, unbounded KV: prefix-hit ratio %s"
            + " (%d of %d input tokens) with 16-token blocks (%d blocks live), %s with 512-token"
            + " blocks%n", pct(fine.hitRatio()), fine.hitTokens(), conversation.inputTokens(),
        fine.liveBlocks(), pct(coarse.hitRatio()));
    assertThat(fine.hitTokens() + fine.missTokens()).isEqualTo(conversation.inputTokens());
    assertThat(100 * fine.hitRatio()).isCloseTo(37.4, within(0.5));
    // splitting 512-token hash blocks into 16-token blocks changes no hit when nothing is evicted
    assertThat(fine.hitTokens()).isEqualTo(coarse.hitTokens());
    assertThat(fine.evictions()).isZero();
    assertThat(fine.blocksFreed()).isZero();
  }

  @Test
  void unboundedSyntheticHitRatioIs65Point1Percent() {
    MooncakeTrace synthetic = MooncakeTrace.read("mooncake_synthetic_trace.jsonl");
    PrefixCache cache = PrefixCache.unbounded(BLOCK_TOKENS);
    feed(synthetic, keys(synthetic, BLOCK_TOKENS), synthetic.requests().size(), cache);
    System.out.printf(Locale.ROOT, "mooncake synthetic, unbounded KV: prefix-hit ratio %s"
            + " (%d of %d input tokens)%n",
        pct(cache.hitRatio()), cache.hitTokens(), synthetic.inputTokens());
    assertThat(100 * cache.hitRatio()).isCloseTo(65.1, within(0.5));
  }

  /** Hits equal the reference request by request, and never fall as capacity grows. */
  private static void boundedAgainstReference(List<long[]> keys, int requests, int blockTokens,
      int[] capacities, String label) {
    int[][] chains = ReferenceLru.chainIds(keys.subList(0, requests));
    long previous = -1;
    StringBuilder line = new StringBuilder(label);
    for (int capacity : capacities) {
      PrefixCache cache = new PrefixCache(capacity, blockTokens);
      long[] hits = feed(conversation, keys, requests, cache);
      ReferenceLru reference = new ReferenceLru(capacity);
      for (int i = 0; i < requests; i++) {
        long expected = Math.min((long) reference.request(chains[i]) * blockTokens,
            conversation.requests().get(i).inputTokens());
        if (hits[i] != expected) {
          throw new AssertionError(label + " capacity " + capacity + ", request " + i + ": hit "
              + hits[i] + " tokens, reference " + expected);
        }
      }
      assertThat(cache.liveBlocks()).isEqualTo(reference.size());
      long total = sum(hits);
      assertThat(total).as("%s hits at capacity %d", label, capacity).isGreaterThanOrEqualTo(previous);
      previous = total;
      line.append(String.format(Locale.ROOT, " %d blocks %s (%d evictions);", capacity,
          pct(cache.hitRatio()), cache.evictions()));
    }
    PrefixCache unbounded = PrefixCache.unbounded(blockTokens);
    long all = sum(feed(conversation, keys, requests, unbounded));
    assertThat(all).isGreaterThanOrEqualTo(previous);
    System.out.println(line.append(" unbounded ").append(pct(unbounded.hitRatio())));
  }

  @Test
  void boundedHitsMatchTheReferenceLruWith512TokenBlocks() {
    boundedAgainstReference(coarseKeys, conversation.requests().size(),
        MooncakeTrace.HASH_BLOCK_TOKENS,
        new int[] {0, 1, 16, 64, 256, 1024, 4096, 16_384, 65_536, 131_072, 262_144},
        "mooncake conversation, bounded KV, 512-token blocks, all requests:");
  }

  @Test
  void boundedHitsMatchTheReferenceLruWith16TokenBlocks() {
    boundedAgainstReference(fineKeys, FINE_BOUNDED_REQUESTS, BLOCK_TOKENS,
        new int[] {0, 1_000, 4_096, 16_384, 65_536, 262_144, 1_048_576},
        "mooncake conversation, bounded KV, 16-token blocks, first " + FINE_BOUNDED_REQUESTS
            + " requests:");
  }
}
