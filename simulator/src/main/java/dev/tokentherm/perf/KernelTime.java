package dev.tokentherm.perf;

/**
 * The one kernel form of the simulator, shared by the iteration cost ({@link Roofline}) and the
 * calibration fits ({@code dev.tokentherm.calibration}), so the numbers fitted to measured kernels
 * are used in the form they were fitted with:
 * <pre>
 *   t = max(F / (peak · η_compute),  B / (bandwidth · η_memory)) + fixed
 * </pre>
 * F FLOPs, B HBM bytes, the achieved rates already multiplied by their efficiencies, fixed the
 * kernels' launch-and-tail time, which a kernel pays whether it is compute- or memory-bound.
 * Primitives only: the hot path calls it a few times per iteration.
 */
public final class KernelTime {
  private KernelTime() {}

  /**
   * Seconds of {@code flops} at {@code flopsPerS} and {@code bytes} at {@code bytesPerS} (the
   * slower of the two) plus {@code fixedS}. {@code flopsPerS} or {@code bytesPerS} may be
   * infinite (a side with no work or no limit).
   */
  public static double seconds(double flops, double bytes, double flopsPerS, double bytesPerS, double fixedS) {
    double compute = flops / flopsPerS;
    double memory = bytes / bytesPerS;
    return (compute >= memory ? compute : memory) + fixedS;
  }

  /** Whether the memory side binds (the fixed time aside): B / bandwidth &gt; F / peak. */
  public static boolean memoryBound(double flops, double bytes, double flopsPerS, double bytesPerS) {
    return bytes / bytesPerS > flops / flopsPerS;
  }
}
