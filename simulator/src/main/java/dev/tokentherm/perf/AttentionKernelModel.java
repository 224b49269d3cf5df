package dev.tokentherm.perf;

import dev.tokentherm.hardware.GpuProfile;

/**
 * Time of one attention kernel (FlashAttention class) on one GPU.
 * <pre>
 *   prefill: t = overhead_p + max((F + (diagonal − 1) · F_diag) / (peak · attention),  B / (HBM · decode_memory))
 *   decode:  t = overhead_d + max(F / (peak · attention),  B / (HBM · decode_memory))
 * </pre>
 * F = causal FLOPs, 4 · c · (n + c/2) · heads · head_dim per chunk of c tokens after n cached ones
 * (docs/DOMAIN.md §2); F_diag = 2 · c² · heads · head_dim, the part of F from the chunk's own causal
 * triangle, which the kernel computes at {@code diagonal} times its nominal cost (masked tiles run
 * in full): without that term the error against the A100 data grows with c (chunks from empty run
 * at half the efficiency of chunks after a long cache). Decode reads the KV once at a bandwidth
 * share of its own (paged reads of short rows). Each kernel pays a fixed time that dominates short
 * contexts. Five fitted numbers for the A100 (three prefill, two decode).
 */
public final class AttentionKernelModel {
  private final double flopsPerSecond;
  private final double bytesPerSecond;
  private final double diagonalExtra;
  private final double prefillOverheadS;
  private final double decodeOverheadS;

  public AttentionKernelModel(GpuProfile gpu) {
    this(gpu, gpu.efficiency().attention().value());
  }

  /** With a serving stack's own attention efficiency in place of the GPU profile's. */
  public AttentionKernelModel(GpuProfile gpu, double attentionEfficiency) {
    GpuProfile.Efficiency e = gpu.efficiency();
    flopsPerSecond = gpu.bf16Tflops().value() * 1e12 * attentionEfficiency; // attention runs in bf16
    bytesPerSecond = gpu.hbmGbPerS().value() * 1e9 * e.attentionDecodeMemory().value();
    diagonalExtra = e.attentionDiagonalFactor().value() - 1.0;
    prefillOverheadS = e.attentionPrefillOverheadUs().value() * 1e-6;
    decodeOverheadS = e.attentionDecodeOverheadUs().value() * 1e-6;
  }

  /**
   * Seconds of one prefill attention kernel over the batch's chunks: {@code flops} causal FLOPs,
   * {@code diagonalFlops} = Σ 2 · c² · heads · head_dim over the chunks, {@code bytes} KV read and
   * written plus Q and O. 0 when there is no work.
   */
  public double prefillSeconds(double flops, double diagonalFlops, double bytes) {
    if (flops <= 0 && bytes <= 0) {
      return 0;
    }
    return KernelTime.seconds(prefillWork(flops, diagonalFlops), bytes, flopsPerSecond, bytesPerSecond, prefillOverheadS);
  }

  /** Seconds of one decode attention kernel: {@code flops} FLOPs, {@code bytes} KV read. 0 when there is no work. */
  public double decodeSeconds(double flops, double bytes) {
    if (flops <= 0 && bytes <= 0) {
      return 0;
    }
    return KernelTime.seconds(flops, bytes, flopsPerSecond, bytesPerSecond, decodeOverheadS);
  }

  /** Prefill FLOPs with the chunks' own triangles weighted at the diagonal factor: F + (diagonal − 1) · F_diag. */
  public double prefillWork(double flops, double diagonalFlops) {
    return flops + diagonalExtra * diagonalFlops;
  }

  /** Achieved FLOP/s of the attention kernels. */
  public double flopsPerS() {
    return flopsPerSecond;
  }

  /** Achieved bytes/s of the attention kernels' KV reads. */
  public double bytesPerS() {
    return bytesPerSecond;
  }

  /** Compute seconds of prefill attention FLOPs (the diagonal counted at its factor), without the fixed time. */
  public double prefillComputeS(double flops, double diagonalFlops) {
    return (flops + diagonalExtra * diagonalFlops) / flopsPerSecond;
  }

  /** Compute seconds of attention FLOPs at the kernel's rate. */
  public double computeS(double flops) {
    return flops / flopsPerSecond;
  }

  /** Seconds to move KV bytes at the attention kernels' bandwidth. */
  public double memoryS(double bytes) {
    return bytes / bytesPerSecond;
  }

  public double prefillOverheadS() {
    return prefillOverheadS;
  }

  public double decodeOverheadS() {
    return decodeOverheadS;
  }

  /** Extra cost of a chunk's own triangle, in multiples of its nominal FLOPs, less one. */
  public double diagonalExtra() {
    return diagonalExtra;
  }
}
