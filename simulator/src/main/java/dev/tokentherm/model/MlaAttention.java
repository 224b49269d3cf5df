package dev.tokentherm.model;

/**
 * Multi-head latent attention (DeepSeek-V3, Kimi-K2): each token keeps one latent of kv_lora_rank
 * + rope_head_dim elements per layer, held whole by every TP rank (not divided by TP). Decode runs
 * absorbed: 2 · heads · (2 · kv_lora_rank + rope_head_dim) FLOPs per cached token per layer
 * (278,528 for DeepSeek-V3), reading the latent. A prefill chunk takes the cheaper of two paths:
 * up-projecting the cached latent to per-head keys and values (2 · kv_lora_rank · heads · (nope +
 * v) FLOPs per token) and attending with 2 · heads · (nope + rope + v) FLOPs per pair, or the
 * absorbed path of decode for every pair — short chunks after a long history are absorbed, as
 * vLLM runs them like decodes.
 *
 * <p>With an indexer (DSA, DeepSeek-V3.2), a light fp8 indexer scores all n cached tokens (2 ·
 * indexer_heads · indexer_dim FLOPs and 128 B of keys per token per layer) and the main attention
 * reads only the top k.
 */
public final class MlaAttention implements Mixer {
  private final long params;
  private final double latentBytes;
  private final double absorbedFlops;
  private final double upProjectionFlops;
  private final double prefillFlopsPerPair;
  private final ContextCurve main;
  private final boolean indexed;
  private final double indexerFlops;
  private final double indexerBytes;

  /**
   * @param topK tokens the main attention reads per query (0: all, plain MLA)
   */
  public MlaAttention(int hidden, int heads, int kvLoraRank, Integer qLoraRank, int ropeDim, int nopeDim,
      int vDim, Dtype kv, int tp, long topK, int indexerHeads, int indexerDim) {
    long qkDim = (long) nopeDim + ropeDim;
    long qParams = qLoraRank == null ? (long) hidden * heads * qkDim
        : (long) hidden * qLoraRank + (long) qLoraRank * heads * qkDim;
    long kvParams = (long) hidden * (kvLoraRank + ropeDim) + (long) kvLoraRank * heads * (nopeDim + vDim);
    long oParams = (long) heads * vDim * hidden;
    this.indexed = topK > 0;
    long indexerParams = indexed ? (long) hidden * indexerHeads * indexerDim + (long) hidden * indexerDim : 0;
    this.params = qParams + kvParams + oParams + indexerParams;
    this.latentBytes = (double) (kvLoraRank + ropeDim) * kv.bytes();
    this.absorbedFlops = 2.0 * heads * (2.0 * kvLoraRank + ropeDim) / tp;
    this.upProjectionFlops = 2.0 * kvLoraRank * heads * (nopeDim + vDim) / tp;
    this.prefillFlopsPerPair = 2.0 * heads * (qkDim + vDim) / tp;
    this.main = indexed ? ContextCurve.capped(topK) : ContextCurve.LINEAR;
    this.indexerFlops = indexed ? 2.0 * indexerHeads * indexerDim / tp : 0;
    this.indexerBytes = indexed ? indexerDim : 0; // fp8 keys: 1 B per element
  }

  @Override
  public long paramsPerLayer() {
    return params;
  }

  @Override
  public ContextCurve heldTokens() {
    return ContextCurve.LINEAR;
  }

  @Override
  public double bytesPerHeldToken() {
    return latentBytes + indexerBytes;
  }

  @Override
  public double stateBytes() {
    return 0;
  }

  @Override
  public int decodeTerms() {
    return indexed ? 2 : 1;
  }

  @Override
  public ContextCurve decodeCurve(int term) {
    return term == 0 ? main : ContextCurve.LINEAR;
  }

  @Override
  public double decodeFlopsPerUnit(int term) {
    return term == 0 ? absorbedFlops : indexerFlops;
  }

  @Override
  public double decodeBytesPerUnit(int term) {
    return term == 0 ? latentBytes : indexerBytes;
  }

  @Override
  public double decodeFlopsPerSeq() {
    return 0;
  }

  @Override
  public double decodeBytesPerSeq() {
    return latentBytes + indexerBytes;
  }

  @Override
  public double prefillFlops(long c, long n) {
    double pairs = main.prefillPairs(c, n);
    double f = Math.min(upProjectionFlops * (n + c) + prefillFlopsPerPair * pairs, absorbedFlops * pairs);
    if (indexed) {
      f += indexerFlops * ContextCurve.LINEAR.prefillPairs(c, n);
    }
    return f;
  }

  @Override
  public double prefillBytes(long c, long n) {
    return (latentBytes + indexerBytes) * (n + c);
  }

  /** Absorbed decode FLOPs per cached token in one layer on one GPU. */
  public double absorbedFlopsPerToken() {
    return absorbedFlops;
  }
}
