package dev.tokentherm.model;

/**
 * Multi-head, grouped-query or multi-query attention (docs/DOMAIN.md §2), optionally over a limited
 * set of cached tokens: a sliding window (min(n, W)), a local window plus global tokens
 * (min(n, W + G)), the recent window plus retrieved chunks, or compressive memory (a sawtooth).
 * Query heads split over TP; KV heads over min(TP, kv_heads), replicated beyond.
 */
public final class GqaAttention implements Mixer {
  private final long params;
  private final double kvBytesPerToken;
  private final double flopsPerPair;
  private final ContextCurve curve;

  /**
   * @param curve tokens held and attended at context n ({@link ContextCurve#LINEAR} for full attention)
   */
  public GqaAttention(int hidden, int heads, int kvHeads, int headDim, Dtype kv, int tp, ContextCurve curve) {
    long q = (long) heads * headDim;
    long k = (long) kvHeads * headDim;
    this.params = (long) hidden * q + 2L * hidden * k + q * hidden;
    this.kvBytesPerToken = 2.0 * kvHeads * headDim * kv.bytes() / Math.min(tp, kvHeads);
    this.flopsPerPair = 4.0 * heads * headDim / tp;
    this.curve = curve;
  }

  @Override
  public long paramsPerLayer() {
    return params;
  }

  @Override
  public ContextCurve heldTokens() {
    return curve;
  }

  @Override
  public double bytesPerHeldToken() {
    return kvBytesPerToken;
  }

  @Override
  public double stateBytes() {
    return 0;
  }

  @Override
  public int decodeTerms() {
    return 1;
  }

  @Override
  public ContextCurve decodeCurve(int term) {
    return curve;
  }

  @Override
  public double decodeFlopsPerUnit(int term) {
    return flopsPerPair;
  }

  @Override
  public double decodeBytesPerUnit(int term) {
    return kvBytesPerToken;
  }

  @Override
  public double decodeFlopsPerSeq() {
    return 0;
  }

  @Override
  public double decodeBytesPerSeq() {
    return kvBytesPerToken; // the new token's K and V written
  }

  @Override
  public double prefillFlops(long c, long n) {
    return flopsPerPair * curve.prefillPairs(c, n);
  }

  @Override
  public double prefillBytes(long c, long n) {
    return kvBytesPerToken * (curve.value(n) + c);
  }
}
