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

  /** FLOPs of a K×N GEMM over {@code tokens} rows. */
  public static double flops(double[] gemm, double tokens) {
    return 2.0 * tokens * gemm[0] * gemm[1];
  }

  /** Bytes of a K×N GEMM over {@code tokens} rows: the weights once, the activations in and out. */
  public static double bytes(double[] gemm, double tokens) {
    return BYTES_PER_ELEMENT * (gemm[0] * gemm[1] + tokens * gemm[0] + tokens * gemm[1]);
  }
}
