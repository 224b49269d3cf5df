package dev.tokentherm.kv.prefix;

/**
 * Block keys of a prompt described by coarse prefix-block hashes, such as Mooncake traces, whose
 * {@code hash_ids} name 512-token blocks (identical id ⇒ identical tokens and identical prefix).
 *
 * <p>A coarse block of {@code hashBlockTokens} tokens is split into {@code hashBlockTokens /
 * blockTokens} cache blocks (32 blocks of 16 tokens for Mooncake and vLLM's default), and sub-block
 * {@code i} of hash id {@code h} gets the key {@code h × perHash + i}: numeric, deterministic and
 * injective for non-negative ids below {@code Long.MAX_VALUE / perHash}. A prompt of {@code tokens}
 * tokens occupies ceil(tokens / blockTokens) blocks; the last coarse block of a prompt is usually
 * partial and yields only the sub-blocks its tokens fill, so a block-granular prefix cache sees the
 * same prefixes as the trace's 512-token accounting. ({@link PrefixCache} itself only needs keys
 * to be distinct among the children of one block; these are distinct everywhere.)
 *
 * <p>Mooncake counts the partial last block as reusable (its hash id covers exactly those tokens);
 * vLLM caches full blocks only: a vLLM-faithful caller inserts {@link #fullBlocks} of the keys and
 * pins all of them.
 */
public final class BlockKeys {
  private BlockKeys() {}

  /** Blocks that {@code tokens} tokens occupy: ceil(tokens / blockTokens). */
  public static int blocksFor(long tokens, int blockTokens) {
    if (tokens < 0 || blockTokens <= 0) {
      throw new IllegalArgumentException("tokens " + tokens + ", block tokens " + blockTokens);
    }
    return Math.toIntExact((tokens + blockTokens - 1) / blockTokens);
  }

  /** Full blocks among {@code tokens} tokens: floor(tokens / blockTokens). */
  public static int fullBlocks(long tokens, int blockTokens) {
    if (tokens < 0 || blockTokens <= 0) {
      throw new IllegalArgumentException("tokens " + tokens + ", block tokens " + blockTokens);
    }
    return Math.toIntExact(tokens / blockTokens);
  }

  /** The key of sub-block {@code index} (0 ≤ index < perHash) of coarse hash id {@code hashId}. */
  public static long subBlockKey(long hashId, int index, int perHash) {
    if (hashId < 0 || hashId > (Long.MAX_VALUE - index) / perHash) {
      throw new IllegalArgumentException("hash id " + hashId + " outside [0, " + Long.MAX_VALUE / perHash + "]");
    }
    return hashId * perHash + index;
  }

  /**
   * Writes the keys of the blocks of a prompt of {@code tokens} tokens whose coarse blocks are
   * {@code hashIds[0..hashCount)} into {@code out} and returns their number: ceil(tokens /
   * blockTokens), limited to the blocks the hash ids cover. {@code hashBlockTokens} must be a
   * multiple of {@code blockTokens}; {@code out} must have room (see {@link #blocksFor}).
   */
  public static int expand(long[] hashIds, int hashCount, long tokens, int hashBlockTokens,
      int blockTokens, long[] out) {
    if (blockTokens <= 0 || hashBlockTokens <= 0 || hashBlockTokens % blockTokens != 0) {
      throw new IllegalArgumentException("hash block of " + hashBlockTokens
          + " tokens is not a whole number of " + blockTokens + "-token blocks");
    }
    if (hashCount < 0 || hashCount > hashIds.length) {
      throw new IllegalArgumentException("hash count " + hashCount + " outside [0, " + hashIds.length + "]");
    }
    int perHash = hashBlockTokens / blockTokens;
    int count = (int) Math.min(blocksFor(tokens, blockTokens), (long) hashCount * perHash);
    if (out.length < count) {
      throw new IllegalArgumentException("out holds " + out.length + " keys, " + count + " needed");
    }
    for (int b = 0; b < count; b++) {
      out[b] = subBlockKey(hashIds[b / perHash], b % perHash, perHash);
    }
    return count;
  }
}
