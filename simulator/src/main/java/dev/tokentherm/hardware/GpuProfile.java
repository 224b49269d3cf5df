package dev.tokentherm.hardware;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

/** One GPU model: peaks, memory, power and thermal limits, kernel efficiencies (data, not code). */
@Doc("A GPU profile (hardware-profiles/gpus/<id>.yaml)")
public record GpuProfile(
    @Required @Doc("kebab-case id, equal to the file name") String id,
    @Required @Doc("human-readable name") String name,
    @Required @Doc("HBM total as nvidia-smi / rocm-smi reports it, MiB") Sourced hbmMib,
    @Required @Doc("peak HBM bandwidth, 10^9 B/s") Sourced hbmGbPerS,
    @Required @Doc("dense BF16 tensor peak, 10^12 FLOP/s") Sourced bf16Tflops,
    @Doc("dense FP8 tensor peak, 10^12 FLOP/s (absent: no FP8 tensor cores)") Sourced fp8Tflops,
    @Required @Doc("board power limit (TDP), W") Sourced powerLimitW,
    @Required @Doc("power with no process resident, W") Sourced idleW,
    @Required @Doc("power with a serving process resident and no work (stays in P0), W") Sourced activeIdleW,
    @Required @Doc("kernel efficiencies at the reference clock") Efficiency efficiency,
    @Required @Doc("how power rises with activity") Power power,
    @Required @Doc("thermal limits and the lumped RC parameters") Thermal thermal,
    @Required @Doc("SM clock range and the voltage-frequency curve (clock factor 1.0 = max_mhz, the clock every"
        + " fitted number was measured at)") Clock clock)
    implements Validatable {

  @Override
  public void validate(Validation v) {
    Physical.positive(v, "hbm_mib", hbmMib);
    Physical.positive(v, "hbm_gb_per_s", hbmGbPerS);
    Physical.positive(v, "bf16_tflops", bf16Tflops);
    Physical.positive(v, "fp8_tflops", fp8Tflops);
    Physical.positive(v, "power_limit_w", powerLimitW);
    Physical.nonNegative(v, "idle_w", idleW);
    Physical.nonNegative(v, "active_idle_w", activeIdleW);
    if (activeIdleW.value() > powerLimitW.value()) {
      v.error("active_idle_w.value", "is " + Allowed.number(activeIdleW.value()) + " W, above power_limit_w "
          + Allowed.number(powerLimitW.value()) + " W; allowed: active_idle_w ≤ power_limit_w");
    }
    if (idleW.value() > activeIdleW.value()) {
      v.error("idle_w.value", "is " + Allowed.number(idleW.value()) + " W, above active_idle_w "
          + Allowed.number(activeIdleW.value()) + " W; allowed: idle_w ≤ active_idle_w (a resident process"
          + " never draws less)");
    }
  }

  /**
   * Kernel efficiencies at the reference clock. Linear operators (perf.GemmModel): time =
   * max(FLOPs / (peak · gemm · T / (T + gemm_half_tokens)), bytes / (HBM · memory)) +
   * gemm_overhead_us. Attention (perf.AttentionKernelModel): prefill = overhead + work at
   * {@code attention} of peak, the chunk's own causal triangle weighted by
   * attention_diagonal_factor; decode = overhead + KV bytes at attention_decode_memory of HBM.
   * Element-wise kernels (norms, activation, RoPE, residual add; perf.ElementwiseModel): bytes at
   * elementwise_memory of HBM + elementwise_overhead_us per kernel. Every kernel takes the one
   * form of perf.KernelTime: max(compute, memory) + fixed.
   */
  @Doc("Achieved share of peak by kernel kind, at the reference clock")
  public record Efficiency(
      @Required @Doc("dense GEMM at many tokens (the plateau): achieved / peak FLOP/s") Sourced gemm,
      @Required @Doc("tokens in the batch at which GEMM efficiency reaches half its plateau") Sourced gemmHalfTokens,
      @Required @Doc("fixed time of one GEMM kernel (launch, tail), µs") Sourced gemmOverheadUs,
      @Required @Doc("memory-bound kernels: achieved / peak HBM bandwidth") Sourced memory,
      @Required @Doc("attention kernels (prefill): achieved / peak FLOP/s") Sourced attention,
      @Required @Doc("fixed time of one prefill attention kernel, µs") Sourced attentionPrefillOverheadUs,
      @Required @Doc("cost of a prefill chunk's own causal triangle, in multiples of its nominal FLOPs 2·c²·heads·head_dim") Sourced attentionDiagonalFactor,
      @Required @Doc("fixed time of one decode attention kernel, µs") Sourced attentionDecodeOverheadUs,
      @Required @Doc("decode attention: achieved / peak HBM bandwidth while reading KV") Sourced attentionDecodeMemory,
      @Required @Doc("element-wise kernels (RMSNorm/LayerNorm, activation, RoPE, residual add): achieved / peak HBM bandwidth") Sourced elementwiseMemory,
      @Required @Doc("fixed time of one element-wise kernel, µs") Sourced elementwiseOverheadUs)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.share(v, "gemm", gemm);
      Physical.nonNegative(v, "gemm_half_tokens", gemmHalfTokens);
      Physical.nonNegative(v, "gemm_overhead_us", gemmOverheadUs);
      Physical.share(v, "memory", memory);
      Physical.share(v, "attention", attention);
      Physical.nonNegative(v, "attention_prefill_overhead_us", attentionPrefillOverheadUs);
      Physical.positive(v, "attention_diagonal_factor", attentionDiagonalFactor);
      Physical.nonNegative(v, "attention_decode_overhead_us", attentionDecodeOverheadUs);
      Physical.share(v, "attention_decode_memory", attentionDecodeMemory);
      Physical.share(v, "elementwise_memory", elementwiseMemory);
      Physical.nonNegative(v, "elementwise_overhead_us", elementwiseOverheadUs);
    }
  }

  /**
   * P = active_idle_w + sm_active_w · s_sm + memory_w · u_mem + tensor_w · u_tensor + leakage_w_per_c
   * · ΔT, capped at power_limit_w; s_sm = SM-active share of the interval, u_mem = HBM bytes ÷ (peak
   * bandwidth × interval), u_tensor = FLOPs ÷ (dense tensor peak × interval), ΔT = die temperature
   * above the fit's (see power.PowerModel).
   */
  @Doc("Power from activity: P = active_idle_w + sm_active_w · s_sm + memory_w · u_mem + tensor_w · u_tensor"
      + " + leakage_w_per_c · ΔT, capped at power_limit_w")
  public record Power(
      @Required @Doc("W added at an SM-active share of 1 (SMs issuing work all the interval: compute-bound, attention,"
          + " element-wise kernels and kernels' fixed times)") Sourced smActiveW,
      @Required @Doc("W added at HBM traffic of peak bandwidth all the interval") Sourced memoryW,
      @Required @Doc("W added at dense tensor peak all the interval") Sourced tensorW,
      @Required @Doc("W added per °C of die temperature above the fit's (leakage)") Sourced leakageWPerC)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.nonNegative(v, "sm_active_w", smActiveW);
      Physical.nonNegative(v, "memory_w", memoryW);
      Physical.nonNegative(v, "tensor_w", tensorW);
      Physical.nonNegative(v, "leakage_w_per_c", leakageWPerC);
    }
  }

  @Doc("Thermal limits and the lumped RC model C·dT/dt = P − (T − T_inlet)/R")
  public record Thermal(
      @Required @Doc("software slowdown threshold, °C") Sourced slowdownC,
      @Required @Doc("hardware slowdown threshold, °C") Sourced hwSlowdownC,
      @Required @Doc("shutdown threshold, °C") Sourced shutdownC,
      @Required @Doc("thermal resistance die→inlet air with the node's fans at full speed, °C per W") Sourced resistanceCPerW,
      @Required @Doc("heat capacity, J per °C") Sourced capacityJPerC,
      @Doc("thermal resistance die→case (the part airflow does not change), °C per W; needed for fans that change speed and for liquid cooling") Sourced junctionToCaseCPerW,
      @Doc("cold plate resistance case→coolant of liquid cooling, °C per W") Sourced coldPlateCPerW,
      @Doc("n in the heat sink's resistance ∝ airflow^−n (case→air part)") Sourced airflowExponent)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      if (junctionToCaseCPerW != null) {
        Physical.nonNegative(v, "junction_to_case_c_per_w", junctionToCaseCPerW);
        if (!(junctionToCaseCPerW.value() < resistanceCPerW.value())) {
          v.error("junction_to_case_c_per_w.value", "is not below resistance_c_per_w; allowed: a part of the die→air resistance");
        }
      }
      if (coldPlateCPerW != null) {
        Physical.positive(v, "cold_plate_c_per_w", coldPlateCPerW);
      }
      if (airflowExponent != null && !(airflowExponent.value() > 0 && airflowExponent.value() <= 2)) {
        v.error("airflow_exponent.value", "is " + airflowExponent.value() + "; allowed: (0, 2]");
      }
      Physical.positive(v, "resistance_c_per_w", resistanceCPerW);
      Physical.positive(v, "capacity_j_per_c", capacityJPerC);
      if (hwSlowdownC.value() < slowdownC.value()) {
        v.error("hw_slowdown_c.value", "is below slowdown_c; allowed: slowdown_c ≤ hw_slowdown_c ≤ shutdown_c");
      }
      if (shutdownC.value() < hwSlowdownC.value()) {
        v.error("shutdown_c.value", "is below hw_slowdown_c; allowed: slowdown_c ≤ hw_slowdown_c ≤ shutdown_c");
      }
    }
  }

  /**
   * The SM clock: the boost clock {@code max_mhz} is the reference (clock factor 1.0), the default
   * clock under the power limit at which the kernel fits and the power fit were measured; a clock
   * factor k runs the SMs at k · max_mhz (perf.Roofline: the clock-bound compute side × 1/k; power.PowerModel:
   * the SM and tensor terms × k · (V(k · max_mhz) / V(max_mhz))²). The voltage curve is
   * piecewise linear between its points and flat outside them.
   */
  @Doc("SM clock range and voltage-frequency curve")
  public record Clock(
      @Required @Doc("boost (default, maximum) SM clock, MHz: the reference clock, factor 1.0") Sourced maxMhz,
      @Required @Doc("lowest settable SM clock, MHz") Sourced minMhz,
      @Required @Doc("step between settable SM clocks, MHz") Sourced stepMhz,
      @Required @MinSize(1) @Doc("core voltage against SM clock, points in rising MHz (piecewise linear, flat outside)")
      List<VoltagePoint> voltage)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.positive(v, "max_mhz", maxMhz);
      Physical.positive(v, "min_mhz", minMhz);
      Physical.positive(v, "step_mhz", stepMhz);
      if (minMhz.value() > maxMhz.value()) {
        v.error("min_mhz.value", "is " + Allowed.number(minMhz.value()) + " MHz, above max_mhz "
            + Allowed.number(maxMhz.value()) + " MHz; allowed: min_mhz ≤ max_mhz");
      }
      for (int i = 1; i < voltage.size(); i++) {
        if (voltage.get(i).mhz() <= voltage.get(i - 1).mhz()) {
          v.error("voltage[" + i + "].mhz", "is " + Allowed.number(voltage.get(i).mhz())
              + " MHz, not above the point before; allowed: points in rising MHz");
        }
      }
    }

    /** Core voltage at {@code mhz}: linear between the points, flat outside them. */
    public double volts(double mhz) {
      VoltagePoint first = voltage.get(0);
      if (mhz <= first.mhz()) {
        return first.volts().value();
      }
      for (int i = 1; i < voltage.size(); i++) {
        VoltagePoint b = voltage.get(i);
        if (mhz <= b.mhz()) {
          VoltagePoint a = voltage.get(i - 1);
          return a.volts().value() + (b.volts().value() - a.volts().value()) * (mhz - a.mhz()) / (b.mhz() - a.mhz());
        }
      }
      return voltage.get(voltage.size() - 1).volts().value();
    }
  }

  @Doc("One point of the voltage-frequency curve")
  public record VoltagePoint(
      @Required @Range(min = 1) @Doc("SM clock, MHz") double mhz,
      @Required @Doc("core voltage at that clock, V") Sourced volts)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.positive(v, "volts", volts);
    }
  }

  public double hbmBytes() {
    return hbmMib.value() * 1024.0 * 1024.0;
  }
}
