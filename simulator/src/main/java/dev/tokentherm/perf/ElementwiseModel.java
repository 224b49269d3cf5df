package dev.tokentherm.perf;

import dev.tokentherm.hardware.GpuProfile;

/**
 * Time of one element-wise kernel (RMSNorm/LayerNorm, SiLU·mul activation, RoPE, residual add)
 * on one GPU: memory-bound, no FLOPs worth counting,
 * <pre>
 *   t = B / (HBM · elementwise_memory) + elementwise_overhead     ({@link KernelTime} with F = 0)
 * </pre>
 * B the activations read and written (tokens × hidden, or × the FFN or head width of the shard, ×
 * bf16 bytes). Two numbers per GPU, fitted to the Vidur per-operator files' input_layernorm,
 * post_attention_layernorm, attn_rope, mlp_act and add columns ({@code calibrate vidur-elementwise-fit}).
 */
public final class ElementwiseModel {
  private final double bytesPerSecond;
  private final double overheadS;

  public ElementwiseModel(GpuProfile gpu) {
    GpuProfile.Efficiency e = gpu.efficiency();
    bytesPerSecond = gpu.hbmGbPerS().value() * 1e9 * e.elementwiseMemory().value();
    overheadS = e.elementwiseOverheadUs().value() * 1e-6;
  }

  /** Seconds of one element-wise kernel moving {@code bytes}; 0 when there are none (no kernel runs). */
  public double seconds(double bytes) {
    return bytes <= 0 ? 0 : KernelTime.seconds(0, bytes, Double.POSITIVE_INFINITY, bytesPerSecond, overheadS);
  }

  public double bytesPerS() {
    return bytesPerSecond;
  }

  public double overheadS() {
    return overheadS;
  }
}
