package dev.tokentherm.perf;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.model.Dtype;

/**
 * Time of one GEMM (a linear operator of a layer) on one GPU:
 * <pre>
 *   t = max(F / (peak · η(T)),  B / (HBM · memory)) + overhead,   η(T) = gemm · T / (T + T½)
 * </pre>
 * F FLOPs, B bytes (weights + activations in and out), T tokens in the batch. Why this form: few
 * tokens fill few rows of the tensor-core tiles, so achieved FLOP/s rises with T and saturates at
 * the plateau {@code gemm} (the hyperbola has one shape number, T½); the weight read bounds small
 * batches; every kernel pays a fixed launch-and-tail time that dominates tiny shards (Llama-2-7B at
 * TP8). Three fitted numbers plus the measured memory efficiency, shared by all models and TP
 * degrees of a GPU (see the GPU profiles' sources and the calibration tests).
 *
 * <p>At an SM clock factor k = f / f_max (the fits are at k = 1) the compute side splits in two:
 * <pre>
 *   F / (peak · η(T)) = F / (peak · gemm)  +  F / (peak · gemm) · T½ / T
 *                       plateau: × 1/k        under-fill: as at k = 1
 * </pre>
 * so t_compute(k) = F · (T + k · T½) / (peak · gemm · k · T), an achieved rate of
 * peak · gemm · k · T / (T + k · T½). Why only the plateau part is clock-bound: it is the time of
 * the FLOPs at the tensor cores' full-tile rate, which scales with the SM clock. The under-fill
 * part is 2 · N · K · T½ / (peak · gemm) for an N × K weight (F = 2 · N · K · T), the same for any
 * T: it is a time per weight element, not per FLOP, the kernel staging every weight tile for a few
 * rows of tokens and waiting on that data and its latency, which the SM clock does not set (the
 * memory side is clock-independent for the same reason). Removing tokens would shrink real
 * tensor-core work; it leaves this term unchanged. At k = 1 every number is bit-identical to the
 * fitted form (× 1.0 is exact, and the k = 1 calls take the fitted expressions).
 */
public final class GemmModel {
  private final double peakFlops;
  private final double flopsPerSecondAtPlateau;
  private final double halfTokens;
  private final double bytesPerSecond;
  private final double overheadS;

  /** BF16 GEMMs. */
  public GemmModel(GpuProfile gpu) {
    this(gpu, Dtype.BF16);
  }

  /** GEMMs on the tensor cores of {@code compute} (fp8 needs fp8 tensor cores). */
  public GemmModel(GpuProfile gpu, Dtype compute) {
    GpuProfile.Efficiency e = gpu.efficiency();
    peakFlops = Roofline.peakFlops(gpu, compute);
    flopsPerSecondAtPlateau = peakFlops * e.gemm().value();
    halfTokens = e.gemmHalfTokens().value();
    bytesPerSecond = gpu.hbmGbPerS().value() * 1e9 * e.memory().value();
    overheadS = e.gemmOverheadUs().value() * 1e-6;
  }

  /** Seconds of one GEMM kernel; 0 when there are no tokens (no kernel runs). */
  public double seconds(double flops, double bytes, double tokens) {
    if (tokens <= 0) {
      return 0;
    }
    return KernelTime.seconds(flops, bytes, flopsPerS(tokens), bytesPerSecond, overheadS);
  }

  /** Achieved FLOP/s at {@code tokens} tokens in the batch: peak · gemm · T / (T + T½). */
  public double flopsPerS(double tokens) {
    return flopsPerSecondAtPlateau * tokens / (tokens + halfTokens);
  }

  /** Achieved bytes/s of the memory-bound side: HBM · memory. */
  public double bytesPerS() {
    return bytesPerSecond;
  }

  /**
   * Achieved FLOP/s at {@code tokens} tokens with the SM clock at factor {@code clockFactor} in
   * (0, 1]: peak · gemm · k · T / (T + k · T½) (the plateau part of the time × 1/k, the under-fill
   * part as is; see the class comment). Exactly {@link #flopsPerS(double)} at k = 1.
   */
  public double flopsPerS(double tokens, double clockFactor) {
    if (clockFactor == 1.0) {
      return flopsPerS(tokens);
    }
    return flopsPerSecondAtPlateau * clockFactor * tokens / (tokens + clockFactor * halfTokens);
  }

  /** Achieved share of the dense peak at {@code tokens} tokens in the batch (compute-bound). */
  public double efficiency(double tokens) {
    return flopsPerSecondAtPlateau / peakFlops * tokens / (tokens + halfTokens);
  }

  /** Compute seconds of {@code flops} at the efficiency of {@code tokens} tokens, without the fixed time. */
  public double computeS(double flops, double tokens) {
    return tokens <= 0 ? 0 : flops * (tokens + halfTokens) / (flopsPerSecondAtPlateau * tokens);
  }

  /**
   * Compute seconds of {@code flops} at {@code tokens} tokens with the SM clock at factor
   * {@code clockFactor}: F · (T + k · T½) / (peak · gemm · k · T), without the fixed time. Exactly
   * {@link #computeS(double, double)} at k = 1.
   */
  public double computeS(double flops, double tokens, double clockFactor) {
    if (clockFactor == 1.0) {
      return computeS(flops, tokens);
    }
    return tokens <= 0 ? 0
        : flops * (tokens + clockFactor * halfTokens) / (flopsPerSecondAtPlateau * clockFactor * tokens);
  }

  /** Seconds to read or write {@code bytes} at the memory-bound kernels' bandwidth. */
  public double memoryS(double bytes) {
    return bytes / bytesPerSecond;
  }

  public double peakFlops() {
    return peakFlops;
  }

  public double overheadS() {
    return overheadS;
  }
}
