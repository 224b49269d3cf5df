package dev.tokentherm.model;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

/**
 * An LLM architecture from its public config file. One {@code source} covers the shape numbers
 * (they are all read from the same config).
 */
@Doc("A model profile (hardware-profiles/models/<id>.yaml): the public config numbers")
public record ModelProfile(
    @Required @Doc("kebab-case id, equal to the file name") String id,
    @Required @Doc("human-readable name") String name,
    @Required @Doc("where the shape numbers come from (config file, paper)") String source,
    @Required @Range(min = 1) @Doc("transformer layers") int layers,
    @Required @Range(min = 1) @Doc("hidden size") int hidden,
    @Required @Range(min = 1) @Doc("query heads") int heads,
    @Required @Range(min = 1) @Doc("KV heads (= heads for MHA)") int kvHeads,
    @Required @Range(min = 1) @Doc("head dimension") int headDim,
    @Required @Range(min = 1) @Doc("dense FFN intermediate size") int ffn,
    @Default("true") @Doc("gated FFN (SwiGLU: gate, up, down) rather than two matrices") boolean gatedFfn,
    @Required @Range(min = 1) @Doc("vocabulary size") int vocab,
    @Default("false") @Doc("LM head shares the embedding matrix") boolean tiedEmbeddings,
    @Required @Range(min = 1) @Doc("longest context the model accepts, tokens") long maxContextTokens,
    @Default("gqa") @OneOf({"mha", "gqa", "mqa", "mla", "sliding-window", "hybrid-mamba"}) @Doc("attention variant") String attention,
    @Range(min = 1) @Doc("sliding-window size, tokens (attention: sliding-window)") Integer slidingWindow,
    @Doc("mixture of experts (absent: dense)") Moe moe,
    @Doc("multi-head latent attention shape (attention: mla)") Mla mla,
    @Doc("Mamba layers of a hybrid (attention: hybrid-mamba)") Mamba mamba,
    @Range(min = 0) @Doc("total parameters stated by the authors, billions (a cross-check of the shape)") Double statedParamsB)
    implements Validatable {

  /**
   * Rules the attention code relies on. hidden = heads × head_dim is not one of them: Gemma and
   * Qwen3-32B, for two, have wider attention than their hidden size, and the model code keeps
   * the two apart.
   */
  @Override
  public void validate(Validation v) {
    if (heads % kvHeads != 0) {
      v.error("kv_heads", "is " + kvHeads + " but " + heads + " query heads do not split into groups of"
          + " equal size over it; allowed: a divisor of heads (" + heads + ")");
    }
    if (attention.equals("mha") && kvHeads != heads) {
      v.error("kv_heads", "is " + kvHeads + " with mha attention; allowed: heads (" + heads + "), or attention: gqa");
    }
    if (attention.equals("mqa") && kvHeads != 1) {
      v.error("kv_heads", "is " + kvHeads + " with mqa attention; allowed: 1, or attention: gqa");
    }
    requiredFor(v, "sliding-window", "sliding_window", slidingWindow);
    requiredFor(v, "mla", "mla", mla);
    requiredFor(v, "hybrid-mamba", "mamba", mamba);
    if (moe != null) {
      if (moe.active() > moe.experts()) {
        v.error("moe.active", "is " + moe.active() + " of " + moe.experts() + " experts; allowed: at most experts");
      }
      if (moe.firstDenseLayers() >= layers) {
        v.error("moe.first_dense_layers", "is " + moe.firstDenseLayers() + " of " + layers
            + " layers, leaving no MoE layer; allowed: fewer than layers, or no moe");
      }
    }
  }

  /** A record that belongs to one attention variant: required with it, an unused field without it. */
  private void requiredFor(Validation v, String variant, String field, Object value) {
    if (attention.equals(variant) && value == null) {
      v.error(field, "is missing; " + variant + " attention needs it");
    } else if (!attention.equals(variant) && value != null) {
      v.error(field, "is not used by " + attention + " attention; allowed: " + field + " only with attention: " + variant);
    }
  }

  @Doc("Mixture of experts")
  public record Moe(
      @Required @Range(min = 1) @Doc("routed experts per MoE layer") int experts,
      @Required @Range(min = 1) @Doc("routed experts active per token") int active,
      @Default("0") @Range(min = 0) @Doc("shared experts per MoE layer") int shared,
      @Required @Range(min = 1) @Doc("FFN intermediate size of one expert") int expertFfn,
      @Default("0") @Range(min = 0) @Doc("leading layers that are dense, not MoE") int firstDenseLayers,
      @Default("1") @Range(min = 1) @Doc("every n-th layer (after the dense ones) is MoE") int every) {}

  @Doc("Multi-head latent attention")
  public record Mla(
      @Required @Range(min = 1) @Doc("compressed KV rank") int kvLoraRank,
      @Range(min = 1) @Doc("compressed query rank (absent: full-rank queries)") Integer qLoraRank,
      @Required @Range(min = 1) @Doc("decoupled RoPE key dimension") int ropeHeadDim,
      @Required @Range(min = 1) @Doc("per-head query/key dimension without RoPE") int nopeHeadDim,
      @Required @Range(min = 1) @Doc("per-head value dimension") int vHeadDim) {}

  @Doc("Mamba layers of a hybrid model")
  public record Mamba(
      @Required @Range(min = 1) @Doc("one attention layer in this many layers") int attentionEvery,
      @Required @Range(min = 1) @Doc("SSM state size") int dState,
      @Required @Range(min = 1) @Doc("convolution width") int dConv,
      @Required @Range(min = 1) @Doc("inner expansion factor") int expand) {}
}
