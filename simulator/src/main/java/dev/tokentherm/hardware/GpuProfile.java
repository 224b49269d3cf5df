package dev.tokentherm.hardware;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;

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
    @Required @Doc("how power rises with activity") PowerModel power,
    @Required @Doc("thermal limits and the lumped RC parameters") Thermal thermal) {

  @Doc("Achieved share of peak by kernel kind, at the reference clock")
  public record Efficiency(
      @Required @Doc("dense GEMM: achieved / peak FLOP/s") Sourced gemm,
      @Required @Doc("memory-bound kernels: achieved / peak HBM bandwidth") Sourced memory,
      @Required @Doc("attention kernels: achieved / peak FLOP/s") Sourced attention) {}

  /**
   * P = active_idle_w + (power_limit_w − active_idle_w) · min(1, compute_weight · u_compute +
   * memory_weight · u_memory), u = achieved / peak over the GPU-busy part of an iteration.
   */
  @Doc("Power from activity: P = active_idle + (limit − active_idle) · min(1, compute_weight · u_compute + memory_weight · u_memory)")
  public record PowerModel(
      @Required @Doc("weight of compute utilisation (FLOP/s ÷ peak)") Sourced computeWeight,
      @Required @Doc("weight of memory-bandwidth utilisation (B/s ÷ peak)") Sourced memoryWeight) {}

  @Doc("Thermal limits and the lumped RC model C·dT/dt = P − (T − T_inlet)/R")
  public record Thermal(
      @Required @Doc("software slowdown threshold, °C") Sourced slowdownC,
      @Required @Doc("hardware slowdown threshold, °C") Sourced hwSlowdownC,
      @Required @Doc("shutdown threshold, °C") Sourced shutdownC,
      @Required @Doc("thermal resistance die→inlet air, °C per W") Sourced resistanceCPerW,
      @Required @Doc("heat capacity, J per °C") Sourced capacityJPerC) {}

  public double hbmBytes() {
    return hbmMib.value() * 1024.0 * 1024.0;
  }
}
