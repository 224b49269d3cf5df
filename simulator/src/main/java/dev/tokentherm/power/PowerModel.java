package dev.tokentherm.power;

import dev.tokentherm.hardware.GpuProfile;

/**
 * Power of one GPU from what it does over an interval (pure: primitives in, watts out, no
 * allocation):
 *
 * <pre>
 *   P = active_idle_w + sm_active_w · s_sm + memory_w · u_mem + tensor_w · u_tensor
 *       + leakage_w_per_c · ΔT,                                  capped at power_limit_w
 * </pre>
 *
 * <p>The activity variables, each a share in [0, 1] of the interval:
 * <ul>
 *   <li>{@code s_sm}, the SM-active share: the part of the interval in which the SMs are issuing
 *       work for every byte or FLOP they move: compute-bound kernels, attention kernels (decode and
 *       prefill, bound by either side), element-wise kernels, and every kernel's fixed (launch, fill
 *       and tail) time. Not in it: memory-bound linear layers, whose weights Hopper-class GEMMs
 *       stream with the tensor memory accelerator while a few warps per SM wait, collectives, and
 *       the CPU's part of the step (the GPU sits at active idle).</li>
 *   <li>{@code u_mem}, memory traffic: HBM bytes ÷ (peak bandwidth × interval).</li>
 *   <li>{@code u_tensor}, tensor utilisation: matmul FLOPs ÷ (dense tensor peak × interval).</li>
 *   <li>{@code ΔT}, the die temperature above the one the other parameters were fitted at; the
 *       coefficient is 0 until the thermal model sets temperatures.</li>
 * </ul>
 *
 * <p>At an SM clock factor k = f / f_ref (f_ref the boost clock every number was fitted at), the
 * SM-active and tensor terms are dynamic power, C · V² · f, and scale by
 * k · (V(f) / V(f_ref))² with the GPU profile's voltage-frequency curve; {@code u_tensor} is then
 * measured against the dense peak at that clock (peak · k), so a compute-bound kernel keeps its
 * utilisation and its watts fall with the clock and the voltage. Memory power (HBM and its
 * interface run on their own clock), active idle and the leakage term do not scale. At k = 1 the
 * result is exactly the fitted form above.
 *
 * <p>Why these and not FLOP utilisation alone: batched decode is memory-bound, so its tensor
 * utilisation stays under 5 % of peak and its HBM traffic near 60-75 % of peak at every batch, yet
 * measured decode power on an H100 rises from ~490 W at batch 8 to ~690 W at batch 82 (ML.ENERGY v3,
 * Qwen3-8B). What grows with the batch is the share of the step spent in attention, which reads the
 * KV cache with every SM's warps issuing loads, softmax and the grouped queries' matmuls, where the
 * weight-streaming GEMVs it displaces keep most of the SM idle; {@code s_sm} follows that, and
 * {@code u_mem} the DRAM and interconnect energy per byte. Compute-bound prefill has
 * {@code s_sm} ≈ 1 and high {@code u_tensor}, and reaches the power limit.
 */
public final class PowerModel {
  private final double activeIdleW;
  private final double smActiveW;
  private final double memoryW;
  private final double tensorW;
  private final double leakageWPerC;
  private final double powerLimitW;
  /** The voltage curve: clock factors (ascending) and V / V(f_ref) at each; flat outside. */
  private final double[] curveFactors;
  private final double[] curveVoltRatios;

  /**
   * @param activeIdleW static power: a serving process resident, no work
   * @param smActiveW added at an SM-active share of 1
   * @param memoryW added at HBM traffic of peak bandwidth
   * @param tensorW added at dense tensor peak
   * @param leakageWPerC added per °C above the fit temperature
   * @param powerLimitW the board limit the result is capped at
   */
  public PowerModel(double activeIdleW, double smActiveW, double memoryW, double tensorW, double leakageWPerC,
      double powerLimitW) {
    this(activeIdleW, smActiveW, memoryW, tensorW, leakageWPerC, powerLimitW, new double[] {1}, new double[] {1});
  }

  /**
   * With a voltage-frequency curve: at clock factor {@code curveFactors[i]} (of the reference clock,
   * ascending) the core voltage is {@code curveVoltRatios[i]} times the reference clock's; linear
   * between the points, flat outside. (Without a curve the voltage is constant: dynamic power ∝ k.)
   */
  public PowerModel(double activeIdleW, double smActiveW, double memoryW, double tensorW, double leakageWPerC,
      double powerLimitW, double[] curveFactors, double[] curveVoltRatios) {
    if (curveFactors.length == 0 || curveFactors.length != curveVoltRatios.length) {
      throw new IllegalArgumentException("voltage curve: as many factors as voltage ratios, at least one");
    }
    this.curveFactors = curveFactors.clone();
    this.curveVoltRatios = curveVoltRatios.clone();
    this.activeIdleW = activeIdleW;
    this.smActiveW = smActiveW;
    this.memoryW = memoryW;
    this.tensorW = tensorW;
    this.leakageWPerC = leakageWPerC;
    this.powerLimitW = powerLimitW;
  }

  /**
   * Mean power over an interval with the given activity, W.
   *
   * @param smActiveShare s_sm, SM-active seconds ÷ interval
   * @param memoryUtil u_mem, HBM bytes ÷ (peak B/s × interval)
   * @param tensorUtil u_tensor, FLOPs ÷ (peak FLOP/s × interval)
   * @param temperatureRiseC die temperature above the fit temperature, °C (0 without a thermal model)
   */
  public double watts(double smActiveShare, double memoryUtil, double tensorUtil, double temperatureRiseC) {
    return Math.min(powerLimitW, demandW(smActiveShare, memoryUtil, tensorUtil, temperatureRiseC));
  }

  /** The demanded power, before the board limit's clamp, W (the four-argument {@link #watts} is its minimum with the limit). */
  public double demandW(double smActiveShare, double memoryUtil, double tensorUtil, double temperatureRiseC) {
    return activeIdleW + smActiveW * smActiveShare + memoryW * memoryUtil + tensorW * tensorUtil
        + leakageWPerC * temperatureRiseC;
  }

  /**
   * Mean power over an interval at SM clock factor {@code clockFactor} (k in (0, 1]), W: the
   * SM-active and tensor terms × {@link #dynamicScale}; bit-identical to the four-argument form at
   * k = 1.
   *
   * @param tensorUtil u_tensor, FLOPs ÷ (peak FLOP/s at the clock, peak · k, × interval)
   */
  public double watts(double smActiveShare, double memoryUtil, double tensorUtil, double temperatureRiseC,
      double clockFactor) {
    return Math.min(powerLimitW, demandW(smActiveShare, memoryUtil, tensorUtil, temperatureRiseC, clockFactor));
  }

  /** The demanded power at clock factor {@code clockFactor}, before the board limit's clamp, W. */
  public double demandW(double smActiveShare, double memoryUtil, double tensorUtil, double temperatureRiseC,
      double clockFactor) {
    if (clockFactor == 1.0) {
      return demandW(smActiveShare, memoryUtil, tensorUtil, temperatureRiseC);
    }
    double d = dynamicScale(clockFactor);
    return activeIdleW + smActiveW * smActiveShare * d + memoryW * memoryUtil + tensorW * tensorUtil * d
        + leakageWPerC * temperatureRiseC;
  }

  /** Dynamic power at clock factor k relative to the reference clock: k · (V(k) / V(1))². */
  public double dynamicScale(double clockFactor) {
    double v = voltRatio(clockFactor) / voltRatio(1.0);
    return clockFactor * v * v;
  }

  private double voltRatio(double k) {
    double[] x = curveFactors;
    if (k <= x[0]) {
      return curveVoltRatios[0];
    }
    for (int i = 1; i < x.length; i++) {
      if (k <= x[i]) {
        return curveVoltRatios[i - 1] + (curveVoltRatios[i] - curveVoltRatios[i - 1]) * (k - x[i - 1]) / (x[i] - x[i - 1]);
      }
    }
    return curveVoltRatios[x.length - 1];
  }

  /** The model of a GPU profile's power block, with its active idle and power limit. */
  public static PowerModel of(GpuProfile gpu) {
    GpuProfile.Power p = gpu.power();
    GpuProfile.Clock c = gpu.clock();
    double ref = c.maxMhz().value();
    int n = c.voltage().size();
    double[] factors = new double[n];
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      factors[i] = c.voltage().get(i).mhz() / ref;
      ratios[i] = c.voltage().get(i).volts().value() / c.volts(ref);
    }
    return new PowerModel(gpu.activeIdleW().value(), p.smActiveW().value(), p.memoryW().value(), p.tensorW().value(),
        p.leakageWPerC().value(), gpu.powerLimitW().value(), factors, ratios);
  }

  public double activeIdleW() {
    return activeIdleW;
  }

  public double powerLimitW() {
    return powerLimitW;
  }
}
