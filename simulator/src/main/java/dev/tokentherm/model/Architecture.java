package dev.tokentherm.model;


/**
 * A model as it runs on one GPU of a replica with tensor parallelism tp, pipeline parallelism pp
 * and expert parallelism ep: its token mixers (attention variant or Mamba, by layer group), its FFN
 * (dense or mixture of experts), embeddings and LM head, and the work of one forward pass per GPU
 * (docs/DOMAIN.md §2). Layers are split evenly over the pp stages (fractional counts are kept, the
 * average stage).
 *
 * <p>Conventions: every iteration reads the whole LM head and all linear weights of the stage
 * once (MoE: only the experts the batch routes to, E·(1 − (1 − k/E)^b) per layer under uniform
 * routing); embedding rows gathered are neglected; logits are computed for one token per sampling
 * sequence.
 */
public final class Architecture {
  private final ModelProfile profile;
  private final String variant;
  private final Mixer[] mixers;
  private final double[] layers; // whole-model layer count of each mixer group
  private final int tp;
  private final int pp;
  private final int ep;
  private final long denseFfnParams; // one dense FFN layer
  private final int denseFfnLayers;
  private final int moeLayers;
  private final long expertParams;
  private final long sharedParams; // shared experts + router of one MoE layer
  private final long lmHeadParams;
  private final long embeddingParams;
  private final AttentionSpec retrieval;

  public Architecture(ModelProfile m, AttentionSpec override, Dtype kv, int tp, int pp, int ep) {
    this.profile = m;
    this.tp = tp;
    this.pp = pp;
    this.ep = ep;
    this.variant = override != null ? override.variant() : nativeVariant(m);
    int l = m.layers();
    AttentionSpec a = override;
    ContextCurve full = ContextCurve.LINEAR;
    Mixer attention;
    Mixer mamba = null;
    int attentionLayers = l;
    switch (variant) {
      case "mha", "gqa", "mqa" -> attention = gqa(m, kv, full);
      case "sliding-window" -> attention = gqa(m, kv, ContextCurve.capped(a != null ? a.windowTokens()
          : m.slidingWindow()));
      case "global-local" -> attention = gqa(m, kv, ContextCurve.capped((long) a.windowTokens() + a.globalTokens()));
      case "compressive-memory" -> attention = gqa(m, kv, ContextCurve.sawtooth(a.windowTokens(), a.memorySlots()));
      case "chunked-retrieval" -> attention = gqa(m, kv,
          ContextCurve.capped(a.windowTokens() + (long) a.retrievedChunks() * a.chunkTokens()));
      case "mla", "dsa" -> {
        ModelProfile.Mla mla = m.mla();
        int rank = mla != null && a == null ? mla.kvLoraRank() : a != null ? a.kvLoraRank() : 512;
        int rope = mla != null && a == null ? mla.ropeHeadDim() : a != null ? a.ropeHeadDim() : 64;
        int nope = mla != null ? mla.nopeHeadDim() : m.headDim();
        int v = mla != null ? mla.vHeadDim() : m.headDim();
        Integer qRank = mla != null ? mla.qLoraRank() : null;
        boolean dsa = variant.equals("dsa");
        attention = new MlaAttention(m.hidden(), m.heads(), rank, qRank, rope, nope, v, kv, tp,
            dsa ? a.topK() : 0, dsa ? a.indexerHeads() : 0, dsa ? a.indexerHeadDim() : 0);
      }
      case "mamba" -> {
        attention = null;
        attentionLayers = 0;
        mamba = new MambaMixer(m.hidden(), a.dState(), a.dConv(), a.expand(), tp);
      }
      case "hybrid", "hybrid-mamba" -> {
        int every = a != null ? a.attentionEvery() : m.mamba().attentionEvery();
        attentionLayers = l / every;
        attention = gqa(m, kv, full);
        mamba = a != null ? new MambaMixer(m.hidden(), a.dState(), a.dConv(), a.expand(), tp)
            : new MambaMixer(m.hidden(), m.mamba().dState(), m.mamba().dConv(), m.mamba().expand(), tp);
      }
      default -> throw new IllegalArgumentException("unknown attention variant " + variant);
    }
    if (attention != null && mamba != null) {
      mixers = new Mixer[] {attention, mamba};
      layers = new double[] {attentionLayers, l - attentionLayers};
    } else {
      mixers = new Mixer[] {attention != null ? attention : mamba};
      layers = new double[] {l};
    }
    this.retrieval = variant.equals("chunked-retrieval") ? a : null;

    long h = m.hidden();
    long ffnMatrices = m.gatedFfn() ? 3 : 2;
    this.denseFfnParams = ffnMatrices * h * m.ffn();
    ModelProfile.Moe moe = m.moe();
    if (moe == null) {
      denseFfnLayers = l;
      moeLayers = 0;
      expertParams = 0;
      sharedParams = 0;
    } else {
      moeLayers = (l - moe.firstDenseLayers() + moe.every() - 1) / moe.every();
      denseFfnLayers = l - moeLayers;
      expertParams = ffnMatrices * h * moe.expertFfn();
      sharedParams = moe.shared() * expertParams + h * moe.experts(); // shared experts + router
    }
    this.lmHeadParams = (long) m.vocab() * h;
    this.embeddingParams = m.tiedEmbeddings() ? 0 : lmHeadParams;
  }

  private GqaAttention gqa(ModelProfile m, Dtype kv, ContextCurve curve) {
    return new GqaAttention(m.hidden(), m.heads(), m.kvHeads(), m.headDim(), kv, tp, curve);
  }

  private static String nativeVariant(ModelProfile m) {
    return m.attention();
  }

  public ModelProfile profile() {
    return profile;
  }

  public String variant() {
    return variant;
  }

  public int tp() {
    return tp;
  }

  public int pp() {
    return pp;
  }

  public int ep() {
    return ep;
  }

  public Mixer mixer(int group) {
    return mixers[group];
  }

  /** Layers of a mixer group held by one GPU (one pipeline stage's share, possibly fractional). */
  public double layersPerGpu(int group) {
    return layers[group] / pp;
  }

  public int moeLayers() {
    return moeLayers;
  }

  // ---- parameters (whole model) ----

  public long mixerParams() {
    long p = 0;
    for (int g = 0; g < mixers.length; g++) {
      p += (long) (mixers[g].paramsPerLayer() * layers[g]);
    }
    return p;
  }

  public long ffnParams() {
    return denseFfnParams * denseFfnLayers + (expertParams * profile.moe().experts() + sharedParams) * moeLayers;
  }

  public long lmHeadParams() {
    return lmHeadParams;
  }

  public long totalParams() {
    long ffn = moeLayers == 0 ? denseFfnParams * denseFfnLayers : ffnParams();
    return mixerParams() + ffn + lmHeadParams + embeddingParams;
  }

  /** Parameters a token is multiplied by (active parameters, without embeddings and LM head). */
  public long activeParamsPerToken() {
    long ffn = denseFfnParams * denseFfnLayers;
    if (moeLayers > 0) {
      ffn += (expertParams * profile.moe().active() + sharedParams) * moeLayers;
    }
    return mixerParams() + ffn;
  }

  /** Weight bytes held by one GPU: 1/(tp·pp) of everything (experts 1/(ep·pp) under EP). */
  public double weightBytesPerGpu(Dtype weights) {
    double dense = (double) (mixerParams() + denseFfnParams * denseFfnLayers + lmHeadParams + embeddingParams);
    double perGpu = dense / (tp * (double) pp);
    if (moeLayers > 0) {
      perGpu += (double) sharedParams * moeLayers / (tp * (double) pp);
      perGpu += (double) expertParams * profile.moe().experts() * moeLayers / (expertShards() * (double) pp);
    }
    return perGpu * weights.bytes();
  }

  private int expertShards() {
    return ep > 1 ? ep : tp;
  }

  /**
   * Distinct experts of one MoE layer that b tokens reach under uniform routing: E·(1 − (1 −
   * k/E)^b) (docs/DOMAIN.md §2).
   */
  public double expertsHit(double tokens) {
    ModelProfile.Moe moe = profile.moe();
    return moe.experts() * (1 - StrictMath.pow(1 - (double) moe.active() / moe.experts(), tokens));
  }

  /**
   * Weight bytes one GPU reads in one iteration of {@code tokens} tokens: its stage's share of the
   * dense weights, the LM head (last stage; averaged over stages) and the routed experts the batch
   * hits on this GPU's expert shard.
   */
  public double weightBytesReadPerGpu(Dtype weights, long tokens) {
    double dense = (double) (mixerParams() + denseFfnParams * denseFfnLayers) / (tp * (double) pp);
    if (moeLayers > 0) {
      dense += (double) sharedParams * moeLayers / (tp * (double) pp);
      // ep > 1: the experts hit that live on this rank, whole; else a 1/tp slice of every expert hit
      double perLayer = ep > 1 ? expertsHit(tokens) / ep * expertParams : expertsHit(tokens) * expertParams / tp;
      dense += perLayer * moeLayers / pp;
    }
    return dense * weights.bytes();
  }

  public double lmHeadBytesPerGpu(Dtype weights) {
    return (double) lmHeadParams * weights.bytes() / tp;
  }

  /** Linear FLOPs per token on one GPU of a stage (mixers' projections, FFN or active experts). */
  public double linearFlopsPerTokenPerGpu() {
    return 2.0 * activeParamsPerToken() / (tp * (double) pp);
  }

  public double lmHeadFlopsPerSamplePerGpu() {
    return 2.0 * lmHeadParams / tp;
  }

  /** All-to-all bytes per GPU of one iteration under EP: two per MoE layer of the stage. */
  public double allToAllBytesPerGpu(long tokens) {
    if (moeLayers == 0 || ep <= 1) {
      return 0;
    }
    double perLayer = 2.0 * tokens * profile.moe().active() * profile.hidden() * 2 * (ep - 1) / ep / ep;
    return perLayer * moeLayers / pp;
  }

  /** All-reduces per iteration per stage under TP: two per layer of the stage. */
  public double allReducesPerStage() {
    return tp > 1 ? 2.0 * profile.layers() / pp : 0;
  }

  public long allReduceBytesPerToken() {
    return (long) profile.hidden() * 2;
  }

  // ---- held KV and state ----

  /** Bytes one sequence holds on one GPU at context n (all mixer groups on the GPU). */
  public double heldBytesPerGpu(long n) {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      b += mixers[g].heldBytes(n) * layersPerGpu(g);
    }
    return b;
  }

  /** Bytes per held token on one GPU (0 for a state-only model). */
  public double bytesPerHeldTokenPerGpu() {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      b += mixers[g].bytesPerHeldToken() * layersPerGpu(g);
    }
    return b;
  }

  /** KV bytes per token over all layers and GPUs together for full-history variants (e.g. 320 KiB for Llama-3-70B). */
  public double kvBytesPerTokenAllGpus() {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      int shards = mixers[g] instanceof GqaAttention ? Math.min(tp, profile.kvHeads()) : 1;
      b += mixers[g].bytesPerHeldToken() * layers[g] * shards;
    }
    return b;
  }

  // ---- decode work by slot: slot = mixer group · 2 + term ----

  public static final int SLOTS = 4;

  /** Whether slot s carries a decode term. */
  public boolean hasSlot(int slot) {
    int group = slot / 2;
    return group < mixers.length && slot % 2 < mixers[group].decodeTerms();
  }

  public ContextCurve slotCurve(int slot) {
    return mixers[slot / 2].decodeCurve(slot % 2);
  }

  /** Decode FLOPs per unit of g(n) of slot s, on one GPU over its stage's layers. */
  public double slotFlopsPerUnit(int slot) {
    return mixers[slot / 2].decodeFlopsPerUnit(slot % 2) * layersPerGpu(slot / 2);
  }

  public double slotBytesPerUnit(int slot) {
    return mixers[slot / 2].decodeBytesPerUnit(slot % 2) * layersPerGpu(slot / 2);
  }

  /** Decode work of one sequence independent of context (KV write, state), one GPU, its stage. */
  public double decodeFlopsPerSeq() {
    double f = 0;
    for (int g = 0; g < mixers.length; g++) {
      f += mixers[g].decodeFlopsPerSeq() * layersPerGpu(g);
    }
    return f;
  }

  public double decodeBytesPerSeq() {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      b += mixers[g].decodeBytesPerSeq() * layersPerGpu(g);
    }
    return b;
  }

  /** Attention FLOPs of a prefill chunk of c tokens after n cached, one GPU, its stage. */
  public double prefillFlops(long c, long n) {
    double f = 0;
    for (int g = 0; g < mixers.length; g++) {
      f += mixers[g].prefillFlops(c, n) * layersPerGpu(g);
    }
    return f;
  }

  public double prefillBytes(long c, long n) {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      b += mixers[g].prefillBytes(c, n) * layersPerGpu(g);
    }
    return b;
  }

  /** FLOPs of a chunk's own causal triangle, 2·c²·heads·head_dim per attention layer (the kernel's diagonal cost). */
  public double prefillDiagonalFlops(long c) {
    double layersWithAttention = 0;
    for (int g = 0; g < mixers.length; g++) {
      if (!(mixers[g] instanceof MambaMixer)) {
        layersWithAttention += layersPerGpu(g);
      }
    }
    return 2.0 * c * (double) c * profile.heads() * profile.headDim() / tp * layersWithAttention;
  }

  /** Attention layers (not Mamba) of one GPU's stage: one attention kernel each per iteration. */
  public double attentionLayersPerGpu() {
    double l = 0;
    for (int g = 0; g < mixers.length; g++) {
      if (!(mixers[g] instanceof MambaMixer)) {
        l += layersPerGpu(g);
      }
    }
    return l;
  }

  /** Layers of one GPU's stage. */
  public double layersPerGpu() {
    return (double) profile.layers() / pp;
  }

  /** Activation bytes read and written by the linear layers per token, one GPU, its stage (bf16). */
  public double linearActivationBytesPerToken() {
    ModelProfile m = profile;
    double qkv = ((double) m.heads() + 2.0 * m.kvHeads()) * m.headDim() / tp;
    double out = (double) m.heads() * m.headDim() / tp;
    int ffn = moeLayers > 0 ? m.moe().expertFfn() * m.moe().active() : m.ffn();
    double up = (m.gatedFfn() ? 2.0 : 1.0) * ffn / tp;
    double perLayer = (m.hidden() + qkv) + (out + m.hidden()) + (m.hidden() + up) + ((double) ffn / tp + m.hidden());
    return 2.0 * perLayer * layersPerGpu();
  }

  /**
   * Bytes the element-wise kernels read and write per token, one GPU, its stage (bf16): per layer
   * two norms (read and write hidden, replicated under TP), the residual add (two hidden rows in,
   * one out), the FFN activation (SiLU·mul when gated: gate and up columns of the shard in, ffn/TP
   * out; MoE layers: the active experts' columns), and RoPE on the shard's query and key heads in
   * attention layers.
   */
  public double elementwiseBytesPerToken() {
    ModelProfile m = profile;
    double h = m.hidden();
    double act = (m.gatedFfn() ? 3.0 : 2.0) / tp;
    double denseAct = act * m.ffn() * denseFfnLayers;
    double moeAct = moeLayers > 0 ? act * ((double) m.moe().expertFfn() * (m.moe().active() + m.moe().shared())) * moeLayers : 0;
    double rope = 2.0 * ((double) m.heads() + m.kvHeads()) * m.headDim() / tp;
    double perStage = (2 * 2.0 * h + 3.0 * h) * layersPerGpu() + (denseAct + moeAct) / pp
        + rope * attentionLayersPerGpu();
    return 2.0 * perStage;
  }

  /** Element-wise kernels of one GPU's stage: two norms, the activation and the residual add per layer, RoPE per attention layer. */
  public double elementwiseKernelsPerGpu() {
    return 4.0 * layersPerGpu() + attentionLayersPerGpu();
  }

  /** Whether every mixer holds the KV of every token (its held-tokens curve is n, no state). */
  public boolean holdsFullHistory() {
    for (Mixer mixer : mixers) {
      if (!mixer.heldTokens().isLinear() || mixer.stateBytes() > 0) {
        return false;
      }
    }
    return true;
  }

  /** Tokens of KV held at context n (the attention groups' curve; 0 for state-only models). */
  public long heldTokens(long n) {
    for (Mixer mixer : mixers) {
      if (mixer.bytesPerHeldToken() > 0) {
        return mixer.heldTokens().value(n);
      }
    }
    return 0;
  }

  /** Most tokens held while a sequence grows from n0 to n1 (folds make the curve non-monotone). */
  public long maxHeldTokens(long n0, long n1) {
    for (Mixer mixer : mixers) {
      if (mixer.bytesPerHeldToken() > 0) {
        return mixer.heldTokens().maxOver(n0, n1);
      }
    }
    return 0;
  }

  /** Fixed per-sequence state bytes on one GPU (SSM layers). */
  public double stateBytesPerGpu() {
    double b = 0;
    for (int g = 0; g < mixers.length; g++) {
      b += mixers[g].stateBytes() * layersPerGpu(g);
    }
    return b;
  }

  /** Compressive-memory folds while growing from n to n1, each a forward pass over one segment. */
  public long foldsBetween(long n, long n1) {
    for (Mixer mixer : mixers) {
      long s = mixer.heldTokens().segment();
      if (s > 0) {
        return mixer.heldTokens().foldsBetween(n, n1);
      }
    }
    return 0;
  }

  /** Tokens of one fold's forward pass (the segment), 0 without compressive memory. */
  public long foldTokens() {
    for (Mixer mixer : mixers) {
      if (mixer.heldTokens().segment() > 0) {
        return mixer.heldTokens().segment();
      }
    }
    return 0;
  }

  // ---- chunked retrieval: per-turn work ----

  /** History tokens a turn re-reads from retrieved chunks (recomputed with the prompt). */
  public long retrievedTokens(long history) {
    if (retrieval == null || history <= retrieval.windowTokens()) {
      return 0;
    }
    return Math.min((long) retrieval.retrievedChunks() * retrieval.chunkTokens(), history - retrieval.windowTokens());
  }

  /** FLOPs of embedding the new history chunks of a turn, whole model (the embedding model is small). */
  public double embeddingFlops(long newTokens) {
    return retrieval == null ? 0 : 2.0 * retrieval.embeddingParams() * newTokens;
  }

  public double vectorSearchS() {
    return retrieval == null ? 0 : retrieval.vectorSearchMs() * 1e-3;
  }

}
