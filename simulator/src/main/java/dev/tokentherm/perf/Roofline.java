package dev.tokentherm.perf;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.DenseTransformer;
import dev.tokentherm.model.Dtype;

/**
 * Iteration time of one tensor-parallel replica from the roofline of DOMAIN.md §2: per operator
 * max(FLOPs / (peak · efficiency), bytes / (bandwidth · efficiency)), plus two all-reduces per layer
 * (α + bytes / algorithm bandwidth) and the stack's CPU time. All constants are folded at
 * construction so {@link #cost} is a few dozen floating-point operations.
 */
public final class Roofline {
  private final int tp;
  // seconds per unit of work, per GPU
  private final double linearWeightReadS;
  private final double lmHeadWeightReadS;
  private final double linearSPerToken;
  private final double lmHeadSPerSample;
  private final double attentionSPerPair;
  private final double kvSPerToken;
  private final double allReduceLatencyS;
  private final double allReduceSPerToken;
  private final double cpuFixedS;
  private final double cpuSPerSeq;
  // work per unit, per GPU
  private final double linearFlopsPerToken;
  private final double lmHeadFlopsPerSample;
  private final double attentionFlopsPerPair;
  private final double weightBytes;
  private final double kvBytesPerToken;
  private final double computePeak;
  private final double attentionPeak;
  private final double memoryPeak;
  // power
  private final double activeIdleW;
  private final double dynamicRangeW;
  private final double computeWeight;
  private final double memoryWeight;

  public Roofline(DenseTransformer model, GpuProfile gpu, NodeProfile node, StackProfile stack,
      Dtype weights, Dtype compute, Dtype kv, int tp) {
    this.tp = tp;
    computePeak = peakFlops(gpu, compute);
    attentionPeak = gpu.bf16Tflops().value() * 1e12; // attention kernels run in bf16
    memoryPeak = gpu.hbmGbPerS().value() * 1e9;
    double gemm = computePeak * gpu.efficiency().gemm().value();
    double attention = attentionPeak * gpu.efficiency().attention().value();
    double memory = memoryPeak * gpu.efficiency().memory().value();

    linearFlopsPerToken = 2.0 * model.linearParams() / tp;
    lmHeadFlopsPerSample = 2.0 * model.lmHeadParams() / tp;
    attentionFlopsPerPair = model.attentionFlopsPerTokenPair() / tp;
    double linearBytes = (double) model.linearParams() * weights.bytes() / tp;
    double lmHeadBytes = (double) model.lmHeadParams() * weights.bytes() / tp;
    weightBytes = linearBytes + lmHeadBytes;
    kvBytesPerToken = model.kvBytesPerTokenPerGpu(kv, tp);

    linearWeightReadS = linearBytes / memory;
    lmHeadWeightReadS = lmHeadBytes / memory;
    linearSPerToken = linearFlopsPerToken / gemm;
    lmHeadSPerSample = lmHeadFlopsPerSample / gemm;
    attentionSPerPair = attentionFlopsPerPair / attention;
    kvSPerToken = kvBytesPerToken / memory;

    if (tp > 1) {
      double busBandwidth = node.scaleUp().allReduceBusGbPerS().value() * 1e9;
      double algorithmBandwidth = busBandwidth * tp / (2.0 * (tp - 1));
      int allReduces = model.allReducesPerIteration();
      allReduceLatencyS = allReduces * stack.collectiveLatencyUs().value() * 1e-6;
      allReduceSPerToken = allReduces * model.allReduceBytesPerToken() / algorithmBandwidth;
    } else {
      allReduceLatencyS = 0;
      allReduceSPerToken = 0;
    }
    cpuFixedS = stack.iterationOverheadMs().value() * 1e-3;
    cpuSPerSeq = stack.perSequenceOverheadUs().value() * 1e-6;

    activeIdleW = gpu.activeIdleW().value();
    dynamicRangeW = gpu.powerLimitW().value() - activeIdleW;
    computeWeight = gpu.power().computeWeight().value();
    memoryWeight = gpu.power().memoryWeight().value();
  }

  /** Dense tensor peak of the matmul type: fp8 needs fp8 tensor cores (W8A8), else bf16 peak. */
  public static double peakFlops(GpuProfile gpu, Dtype compute) {
    if (compute == Dtype.FP8) {
      if (gpu.fp8Tflops() == null) {
        throw new IllegalArgumentException(gpu.id() + " has no fp8 tensor cores");
      }
      return gpu.fp8Tflops().value() * 1e12;
    }
    return gpu.bf16Tflops().value() * 1e12;
  }

  public int tp() {
    return tp;
  }

  /** Weight bytes each GPU reads per iteration (linear layers and LM head). */
  public double weightBytesPerGpu() {
    return weightBytes;
  }

  public double kvBytesPerTokenPerGpu() {
    return kvBytesPerToken;
  }

  /** Fills {@code out} with the cost of the iteration {@code w}. */
  public void cost(BatchWork w, IterationCost out) {
    long tokens = w.tokens();
    double attentionPairs = w.decodeContextTokens + w.prefillAttentionPairs;
    double kvTokens = w.decodeContextTokens + w.prefillCachedTokens + tokens; // read + write

    double linearC = linearSPerToken * tokens;
    double lmHeadC = lmHeadSPerSample * w.samplingSeqs;
    double attentionC = attentionSPerPair * attentionPairs;
    double attentionM = kvSPerToken * kvTokens;
    double compute = 0;
    double memory = 0;
    if (linearC >= linearWeightReadS) {
      compute += linearC;
    } else {
      memory += linearWeightReadS;
    }
    if (lmHeadC >= lmHeadWeightReadS) {
      compute += lmHeadC;
    } else {
      memory += lmHeadWeightReadS;
    }
    if (attentionC >= attentionM) {
      compute += attentionC;
    } else {
      memory += attentionM;
    }
    out.computeS = compute;
    out.memoryS = memory;
    out.communicationS = tp > 1 ? allReduceLatencyS + allReduceSPerToken * tokens : 0;
    out.cpuS = cpuFixedS + cpuSPerSeq * w.seqs();

    double gemmFlops = linearFlopsPerToken * tokens + lmHeadFlopsPerSample * w.samplingSeqs;
    double attentionFlops = attentionFlopsPerPair * attentionPairs;
    out.flops = gemmFlops + attentionFlops;
    out.bytes = weightBytes + kvBytesPerToken * kvTokens;

    double busy = out.busyS();
    double utilCompute = (gemmFlops / computePeak + attentionFlops / attentionPeak) / busy;
    double utilMemory = out.bytes / memoryPeak / busy;
    double activity = Math.min(1.0, computeWeight * utilCompute + memoryWeight * utilMemory);
    out.busyPowerW = activeIdleW + dynamicRangeW * activity;
    out.averagePowerW = (out.busyPowerW * busy + activeIdleW * out.cpuS) / out.totalS();

    out.sharedCost = linearWeightReadS + lmHeadWeightReadS + (tp > 1 ? allReduceLatencyS : 0) + cpuFixedS;
    out.perTokenCost = linearSPerToken + kvSPerToken + allReduceSPerToken;
    out.perSeqCost = cpuSPerSeq;
    out.perSampleCost = lmHeadSPerSample;
    out.perContextTokenCost = attentionSPerPair + kvSPerToken;
    out.perAttentionPairCost = attentionSPerPair;
    out.perCachedReadCost = kvSPerToken;
    out.totalCost = out.sharedCost + out.perTokenCost * tokens + out.perSeqCost * w.seqs()
        + out.perSampleCost * w.samplingSeqs + out.perContextTokenCost * w.decodeContextTokens
        + out.perAttentionPairCost * w.prefillAttentionPairs + out.perCachedReadCost * w.prefillCachedTokens;
  }
}
