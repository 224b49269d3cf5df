package dev.tokentherm.calibration;

/**
 * The shape of one transformer layer as the Vidur files give it, and the four GEMMs of one
 * tensor-parallel shard: fused QKV (column-parallel), output projection (row-parallel), fused
 * gate+up (column-parallel), down projection (row-parallel). Weights and activations bf16.
 */
public record LayerShape(int heads, int kvHeads, int hidden, int ffn, boolean gatedMlp) {
  static final double BYTES_PER_ELEMENT = 2;

  /** Inputs (K) and outputs (N) of each GEMM of one shard at {@code tp}, in the order qkv, out, up, down. */
  public double[][] gemmsPerShard(int tp) {
    double headDim = (double) hidden / heads;
    double qkv = (heads + 2.0 * kvHeads) * headDim / tp;
    double up = (gatedMlp ? 2.0 : 1.0) * ffn / tp;
    return new double[][] {
        {hidden, qkv}, {heads * headDim / tp, hidden}, {hidden, up}, {(double) ffn / tp, hidden}};
  }

  /**
   * Bytes read and written by each element-wise kernel of one shard over {@code tokens} rows, in
   * the order of the Vidur columns input_layernorm, attn_rope, post_attention_layernorm, mlp_act,
   * add: a norm reads and writes hidden (replicated under TP); RoPE reads and writes the shard's
   * query and key heads; the activation (SiLU·mul when gated) reads the shard's gate and up
   * columns and writes ffn/TP; the residual add reads two hidden rows and writes one.
   */
  public double[] elementwiseBytes(int tp, double tokens) {
    double headDim = (double) hidden / heads;
    double norm = 2.0 * hidden;
    double rope = 2.0 * (heads + (double) kvHeads) * headDim / tp;
    double act = (gatedMlp ? 3.0 : 2.0) * ffn / tp;
    double add = 3.0 * hidden;
    double b = BYTES_PER_ELEMENT * tokens;
    return new double[] {b * norm, b * rope, b * norm, b * act, b * add};
  }

  /** FLOPs of a K×N GEMM over {@code tokens} rows. */
  public static double flops(double[] gemm, double tokens) {
    return 2.0 * tokens * gemm[0] * gemm[1];
  }

  /** Bytes of a K×N GEMM over {@code tokens} rows: the weights once, the activations in and out. */
  public static double bytes(double[] gemm, double tokens) {
    return BYTES_PER_ELEMENT * (gemm[0] * gemm[1] + tokens * gemm[0] + tokens * gemm[1]);
  }
}
