package dev.tokentherm.model;

/**
 * The work of one forward pass of a dense decoder-only transformer with MHA/GQA/MQA attention,
 * as counted in DOMAIN.md §2, precomputed from the profile so an iteration costs a few
 * multiplications.
 *
 * <p>Conventions (stated because they move results by a few per cent): every iteration reads the
 * whole LM head (vocab × hidden) and all linear weights once; the embedding table is not read, only
 * the rows of the batch's tokens are gathered, which we neglect; logits are computed for one token
 * per sequence that samples (decodes and prefills that finish their prompt); a decode step at
 * context n reads the KV of the n cached tokens and attends over them (4·n·heads·head_dim FLOPs per
 * layer), a prefill chunk of c tokens after n cached ones costs 4·c·(n + c/2)·heads·head_dim.
 */
public final class DenseTransformer {
  private final ModelProfile profile;
  private final long linearParamsPerLayer;
  private final long lmHeadParams;
  private final long embeddingParams;

  public DenseTransformer(ModelProfile profile) {
    this.profile = profile;
    long h = profile.hidden();
    long qDim = (long) profile.heads() * profile.headDim();
    long kvDim = (long) profile.kvHeads() * profile.headDim();
    long attention = h * qDim + 2 * h * kvDim + qDim * h;
    long ffn = (profile.gatedFfn() ? 3L : 2L) * h * profile.ffn();
    this.linearParamsPerLayer = attention + ffn;
    this.lmHeadParams = (long) profile.vocab() * h;
    this.embeddingParams = profile.tiedEmbeddings() ? 0 : lmHeadParams;
  }

  public ModelProfile profile() {
    return profile;
  }

  /** Parameters of the QKV, output and FFN matrices of one layer (no norms, no biases). */
  public long linearParamsPerLayer() {
    return linearParamsPerLayer;
  }

  public long linearParams() {
    return linearParamsPerLayer * profile.layers();
  }

  public long lmHeadParams() {
    return lmHeadParams;
  }

  /** Every parameter held in memory: linear layers, LM head, and the embedding table if untied. */
  public long totalParams() {
    return linearParams() + lmHeadParams + embeddingParams;
  }

  /** Parameters read by every iteration: the linear layers and the whole LM head. */
  public long paramsReadPerIteration() {
    return linearParams() + lmHeadParams;
  }

  /** KV bytes of one token over all layers, on all GPUs together: 2·kv_heads·head_dim·layers·bytes. */
  public long kvBytesPerToken(Dtype kv) {
    return 2L * profile.kvHeads() * profile.headDim() * profile.layers() * kv.bytes();
  }

  /**
   * KV bytes of one token held by each GPU of a TP group: KV heads are split over min(tp,
   * kv_heads) GPUs and replicated beyond that.
   */
  public double kvBytesPerTokenPerGpu(Dtype kv, int tp) {
    return (double) kvBytesPerToken(kv) / Math.min(tp, profile.kvHeads());
  }

  /** Attention FLOPs per (query token × attended token) over all layers: 4·heads·head_dim·layers. */
  public double attentionFlopsPerTokenPair() {
    return 4.0 * profile.heads() * profile.headDim() * profile.layers();
  }

  /** Bytes of the two per-layer TP all-reduces' payload per token: hidden · 2 B (bf16 activations). */
  public long allReduceBytesPerToken() {
    return (long) profile.hidden() * 2;
  }

  /** All-reduces per iteration under tensor parallelism: two per layer. */
  public int allReducesPerIteration() {
    return 2 * profile.layers();
  }
}
