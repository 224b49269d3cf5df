package dev.tokentherm.calibration;

/**
 * One row of a Vidur {@code *_mlp.csv}: the linear-operator time of one layer shard (the sum of the
 * medians of attn_pre_proj, attn_post_proj, mlp_up_proj and mlp_down_proj), and, apart, the sum of
 * the element-wise operators (input_layernorm, attn_rope, post_attention_layernorm, mlp_act, add),
 * which perf.ElementwiseModel describes: they are not GEMMs, and the activation works on ffn/TP
 * columns, not on hidden.
 */
public record LinearLayerPoint(String source, LayerShape shape, int tokens, int tp,
    double linearSeconds, double elementwiseSeconds) {

  public String label() {
    return String.format(java.util.Locale.ROOT, "%s T=%d TP=%d", source, tokens, tp);
  }
}
