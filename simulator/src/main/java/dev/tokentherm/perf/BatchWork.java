package dev.tokentherm.perf;

import dev.tokentherm.model.Architecture;

/**
 * What one iteration of a replica processes, in aggregate: decode sequences by count and by the
 * summed context of each decode slot (Σ g(n) per attention term, see
 * {@link Architecture#slotCurve}), prefill chunks by their (tokens, cached) pairs, and extra work
 * (compressive-memory folds, retrieval embeddings and searches). Mutable and reused: the
 * scheduler fills it, {@link Roofline} reads it.
 */
public final class BatchWork {
  /** Sequences decoding one token each. */
  public int decodeSeqs;
  /** Σ over decode sequences of g_slot(n) for each decode slot. */
  public final double[] decodeUnits = new double[Architecture.SLOTS];
  /** Sequences that sample a token at the end of the iteration (decodes, finishing prefills). */
  public int samplingSeqs;
  /** Tokens of forward passes that sample nothing (compressive-memory folds). */
  public long extraTokens;
  /** FLOPs of side models (retrieval embeddings), run at GEMM efficiency. */
  public double extraFlops;
  /** CPU time of side work (vector searches), s. */
  public double extraCpuS;

  private int chunks;
  private long[] chunkTokens = new long[8];
  private long[] chunkCached = new long[8];
  private long prefillTokens;

  public void clear() {
    decodeSeqs = 0;
    java.util.Arrays.fill(decodeUnits, 0);
    samplingSeqs = 0;
    extraTokens = 0;
    extraFlops = 0;
    extraCpuS = 0;
    chunks = 0;
    prefillTokens = 0;
  }

  /** Adds one prefill chunk of c tokens after n cached. */
  public void addPrefillChunk(long chunkTokens, long cachedTokens, boolean samples) {
    if (chunks == this.chunkTokens.length) {
      this.chunkTokens = java.util.Arrays.copyOf(this.chunkTokens, chunks * 2);
      chunkCached = java.util.Arrays.copyOf(chunkCached, chunks * 2);
    }
    this.chunkTokens[chunks] = chunkTokens;
    chunkCached[chunks] = cachedTokens;
    chunks++;
    prefillTokens += chunkTokens;
    if (samples) {
      samplingSeqs++;
    }
  }

  public int prefillSeqs() {
    return chunks;
  }

  public long chunkTokens(int i) {
    return chunkTokens[i];
  }

  public long chunkCached(int i) {
    return chunkCached[i];
  }

  public long prefillTokens() {
    return prefillTokens;
  }

  /** Tokens through the linear layers: one per decode, every prefill token, fold passes. */
  public long tokens() {
    return decodeSeqs + prefillTokens + extraTokens;
  }

  public int seqs() {
    return decodeSeqs + chunks;
  }
}
