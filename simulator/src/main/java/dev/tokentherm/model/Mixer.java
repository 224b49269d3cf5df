package dev.tokentherm.model;

/**
 * The token mixer of one layer (an attention variant or a state-space layer) as it runs on one
 * GPU of a tensor-parallel group: what a sequence holds at context n and what a decode step or a
 * prefill chunk costs, per layer. Decode work is Σ over terms of (FLOPs, bytes per unit) × g(n),
 * with g a {@link ContextCurve}, plus a constant per sequence (state updates).
 */
public interface Mixer {
  /** Parameters of the mixer's projections in one layer (all GPUs together). */
  long paramsPerLayer();

  /** Tokens of KV held at context n (0 for a state-only mixer). */
  ContextCurve heldTokens();

  /** Bytes one held token occupies on one GPU in one layer. */
  double bytesPerHeldToken();

  /** Bytes of fixed per-sequence state on one GPU in one layer (SSM state, 0 for attention). */
  double stateBytes();

  int decodeTerms();

  ContextCurve decodeCurve(int term);

  double decodeFlopsPerUnit(int term);

  double decodeBytesPerUnit(int term);

  /** Per-sequence decode work that does not depend on context (state read and write). */
  double decodeFlopsPerSeq();

  double decodeBytesPerSeq();

  /** Attention FLOPs of a prefill chunk of c tokens after n cached, on one GPU in one layer. */
  double prefillFlops(long c, long n);

  /** Bytes a prefill chunk reads and writes (cached KV read, new KV written, state). */
  double prefillBytes(long c, long n);

  /** Bytes one sequence holds on one GPU in one layer at context n. */
  default double heldBytes(long n) {
    return heldTokens().value(n) * bytesPerHeldToken() + stateBytes();
  }

  /** Decode FLOPs of one sequence at context n, one layer, one GPU. */
  default double decodeFlops(long n) {
    double f = decodeFlopsPerSeq();
    for (int t = 0; t < decodeTerms(); t++) {
      f += decodeFlopsPerUnit(t) * decodeCurve(t).value(n);
    }
    return f;
  }

  /** Decode bytes of one sequence at context n, one layer, one GPU. */
  default double decodeBytes(long n) {
    double b = decodeBytesPerSeq();
    for (int t = 0; t < decodeTerms(); t++) {
      b += decodeBytesPerUnit(t) * decodeCurve(t).value(n);
    }
    return b;
  }
}
