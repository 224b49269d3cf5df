package dev.tokentherm.perf;

/**
 * What one iteration of a replica processes, in aggregate (no per-sequence objects): the decode
 * sequences by count and summed context, the prefill chunks by summed tokens and attention work.
 * Mutable and reused: the scheduler fills it, {@link Roofline} reads it.
 */
public final class BatchWork {
  /** Sequences decoding one token each. */
  public int decodeSeqs;
  /** Σ over decode sequences of the cached tokens each one attends to. */
  public long decodeContextTokens;
  /** Sequences prefilling a chunk. */
  public int prefillSeqs;
  /** Σ of prefill chunk lengths c. */
  public long prefillTokens;
  /** Σ over chunks of the tokens cached before the chunk, n (their KV is read). */
  public long prefillCachedTokens;
  /** Σ over chunks of c·(n + c/2): causal attention pairs. */
  public double prefillAttentionPairs;
  /** Sequences that sample a token at the end of the iteration (decodes, finishing prefills). */
  public int samplingSeqs;

  public void clear() {
    decodeSeqs = 0;
    decodeContextTokens = 0;
    prefillSeqs = 0;
    prefillTokens = 0;
    prefillCachedTokens = 0;
    prefillAttentionPairs = 0;
    samplingSeqs = 0;
  }

  /** Adds one prefill chunk of c tokens after n cached ones. */
  public void addPrefillChunk(long chunkTokens, long cachedTokens, boolean samples) {
    prefillSeqs++;
    prefillTokens += chunkTokens;
    prefillCachedTokens += cachedTokens;
    prefillAttentionPairs += attentionPairs(chunkTokens, cachedTokens);
    if (samples) {
      samplingSeqs++;
    }
  }

  /** Causal attention pairs of a chunk of c tokens after n cached: c·(n + c/2). */
  public static double attentionPairs(long chunkTokens, long cachedTokens) {
    return chunkTokens * (cachedTokens + chunkTokens / 2.0);
  }

  public long tokens() {
    return decodeSeqs + prefillTokens;
  }

  public int seqs() {
    return decodeSeqs + prefillSeqs;
  }
}
