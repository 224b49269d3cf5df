package dev.tokentherm.model;

/**
 * A Mamba (selective state-space) layer: a constant state per sequence of d_inner · (d_state +
 * d_conv − 1) fp32 elements (d_inner = expand · hidden, split over TP), read and written once per
 * decode step, whatever the context. Projections: in (hidden → 2 d_inner), x (d_inner → dt_rank +
 * 2 d_state), dt (dt_rank → d_inner), out (d_inner → hidden), with dt_rank = ⌈hidden / 16⌉.
 */
public final class MambaMixer implements Mixer {
  private static final int STATE_BYTES = 4; // fp32
  private final long params;
  private final double state;
  private final double scanFlopsPerToken;

  public MambaMixer(int hidden, int dState, int dConv, int expand, int tp) {
    long dInner = (long) expand * hidden;
    long dtRank = (hidden + 15) / 16;
    this.params = hidden * 2 * dInner + dInner * (dtRank + 2L * dState) + dtRank * dInner
        + dInner * hidden + dInner * dConv;
    this.state = (double) dInner * (dState + dConv - 1) * STATE_BYTES / tp;
    // selective scan: ~6 FLOPs per state element per token, plus the convolution
    this.scanFlopsPerToken = (6.0 * dInner * dState + 2.0 * dInner * dConv) / tp;
  }

  @Override
  public long paramsPerLayer() {
    return params;
  }

  @Override
  public ContextCurve heldTokens() {
    return ContextCurve.capped(0);
  }

  @Override
  public double bytesPerHeldToken() {
    return 0;
  }

  @Override
  public double stateBytes() {
    return state;
  }

  @Override
  public int decodeTerms() {
    return 0;
  }

  @Override
  public ContextCurve decodeCurve(int term) {
    throw new IndexOutOfBoundsException(term);
  }

  @Override
  public double decodeFlopsPerUnit(int term) {
    throw new IndexOutOfBoundsException(term);
  }

  @Override
  public double decodeBytesPerUnit(int term) {
    throw new IndexOutOfBoundsException(term);
  }

  @Override
  public double decodeFlopsPerSeq() {
    return scanFlopsPerToken;
  }

  @Override
  public double decodeBytesPerSeq() {
    return 2 * state;
  }

  @Override
  public double prefillFlops(long c, long n) {
    return scanFlopsPerToken * c;
  }

  @Override
  public double prefillBytes(long c, long n) {
    return 2 * state;
  }
}
