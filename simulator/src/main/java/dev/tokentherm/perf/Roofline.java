package dev.tokentherm.perf;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;

/**
 * Iteration time of one replica (tensor parallel tp, pipeline parallel pp, expert parallel ep)
 * from the roofline of docs/DOMAIN.md §2 with the fitted kernel models: per operator the one kernel form
 * {@link KernelTime}, max(compute, memory) plus the kernels' fixed times, the form the calibration
 * fits (GEMM efficiency rising with tokens, {@link GemmModel}; attention kernels,
 * {@link AttentionKernelModel}; element-wise norms, activation, RoPE and residual adds,
 * {@link ElementwiseModel}), two all-reduces per layer
 * ({@link CollectiveModel}), two all-to-alls per MoE layer under EP, activation sends between
 * pipeline stages, and the stack's CPU time.
 *
 * <p>Pipeline parallelism: the batch flows through the stages as m micro-batches (m + pp − 1
 * stage times, with an activation send between stages); each GPU works m stage times and idles at
 * active idle in the bubbles. The LM head runs on the last stage, once per micro-batch.
 */
public final class Roofline {
  /** Linear kernels per layer: fused QKV, output projection, gate+up, down. */
  private static final int LINEAR_KERNELS_PER_LAYER = 4;
  /** Latency of an activation send between nodes over the NIC (RDMA), s; an estimate. */
  private static final double NIC_LATENCY_S = 10e-6;
  /** The clock every kernel model was fitted at, as a share of nominal. */
  public static final double NOMINAL_CLOCK = 1.0;

  private final Architecture arch;
  private final Dtype weights;
  private final GemmModel gemm;
  private final AttentionKernelModel attention;
  private final ElementwiseModel elementwise;
  private final CollectiveModel allReduce;
  private final double customAllReduceLatencyS;
  private final double customAllReduceBytesPerS;
  private final CollectiveModel allToAll;
  private final double stageSendLatencyS;
  private final double stageSendBytesPerS;
  private final CollectiveModel sendRecv;
  private final double cpuFixedS;
  private final double cpuPerSeqS;
  private final double cpuPerTokenS;
  private final double cpuVisible;
  private final double attentionPeak;
  // per-unit constants of one GPU's stage
  private final double linearFlopsPerToken;
  private final double activationBytesPerToken;
  private final double lmHeadFlopsPerSample;
  private final double lmHeadBytes;
  private final double linearOverheadS;
  private final double elementwiseBytesPerToken;
  private final double elementwiseOverheadS;
  // the clock-independent (launch-path) part of the fixed times; the rest scales with 1/clock
  private final double linearLaunchS;
  private final double elementwiseLaunchS;
  private final double decodeLaunchS;
  private final double prefillLaunchS;
  private final double lmHeadLaunchS;
  private final double decodeFlopsPerSeq;
  private final double decodeBytesPerSeq;
  private final double[] slotFlops = new double[Architecture.SLOTS];
  private final double[] slotBytes = new double[Architecture.SLOTS];
  private final double attentionLayers;
  private final double allReducesPerStage;
  private final double allToAllsPerStage;
  private final int pp;
  private final int microBatches;

  /**
   * @param stagesAcrossNodes whether consecutive pipeline stages sit on different nodes (NIC) or
   *     the same one (scale-up fabric)
   */
  public Roofline(Architecture arch, GpuProfile gpu, NodeProfile node, StackProfile stack, Dtype weights,
      Dtype compute, boolean stagesAcrossNodes) {
    this(arch, gpu, node, stack, weights, compute, stagesAcrossNodes, 1);
  }

  /** With the batch split into {@code microBatches} micro-batches through the pipeline stages. */
  public Roofline(Architecture arch, GpuProfile gpu, NodeProfile node, StackProfile stack, Dtype weights,
      Dtype compute, boolean stagesAcrossNodes, int microBatches) {
    this.microBatches = microBatches;
    this.arch = arch;
    this.weights = weights;
    this.pp = arch.pp();
    gemm = new GemmModel(gpu, compute);
    attention = stack.attentionEfficiency() != null
        ? new AttentionKernelModel(gpu, stack.attentionEfficiency().value()) : new AttentionKernelModel(gpu);
    elementwise = new ElementwiseModel(gpu);
    attentionPeak = gpu.bf16Tflops().value() * 1e12;
    int tp = arch.tp();
    allReduce = CollectiveModel.allReduce(node, tp);
    StackProfile.Overheads overheads = stack.overheadsAt(tp, node.id());
    if (Double.isFinite(overheads.collectiveLatencyS()) && tp > 1) {
      customAllReduceLatencyS = overheads.collectiveLatencyS();
      customAllReduceBytesPerS = node.scaleUp().allReduceBusGbPerS().value() * 1e9 * tp / (2.0 * (tp - 1));
    } else {
      customAllReduceLatencyS = Double.POSITIVE_INFINITY;
      customAllReduceBytesPerS = 1;
    }
    // all-to-all approximated by the all-reduce fit of the same GPU count inside the node
    allToAll = arch.ep() > 1 ? CollectiveModel.allReduce(node, arch.ep()) : CollectiveModel.NONE;
    if (stagesAcrossNodes) {
      stageSendLatencyS = NIC_LATENCY_S;
      stageSendBytesPerS = node.nics().gbitPerS().value() * 1e9 / 8;
    } else {
      stageSendLatencyS = 0;
      stageSendBytesPerS = 0; // the node's send/recv fit
    }
    this.sendRecv = pp > 1 && !stagesAcrossNodes ? CollectiveModel.sendRecv(node) : CollectiveModel.NONE;
    // host launch time of the iteration's all-reduces is CPU time the GPU waits for
    cpuFixedS = overheads.iterationS() + overheads.collectiveLaunchS() * arch.allReducesPerStage() * pp;
    cpuPerSeqS = overheads.perSequenceS();
    cpuPerTokenS = overheads.perTokenS();
    cpuVisible = 1 - (stack.cpuOverlap() == null ? 0 : stack.cpuOverlap().value());

    linearFlopsPerToken = arch.linearFlopsPerTokenPerGpu();
    activationBytesPerToken = arch.linearActivationBytesPerToken();
    lmHeadFlopsPerSample = arch.lmHeadFlopsPerSamplePerGpu();
    lmHeadBytes = arch.lmHeadBytesPerGpu(weights);
    linearOverheadS = gemm.overheadS() * LINEAR_KERNELS_PER_LAYER * arch.layersPerGpu();
    elementwiseBytesPerToken = arch.elementwiseBytesPerToken();
    elementwiseOverheadS = elementwise.overheadS() * arch.elementwiseKernelsPerGpu();
    // a kernel's fixed time: the launch path (host, driver, doorbell, the front end's dispatch) is
    // what the smallest kernel, an element-wise one, pays (its fitted fixed time); clock-independent.
    // A GEMM's or attention kernel's fixed time above that (prologue, pipeline fill, wave tail,
    // split reductions) goes at the pace of the kernel's body (fixedAt).
    double launch = elementwise.overheadS();
    linearLaunchS = Math.min(launch, gemm.overheadS()) * LINEAR_KERNELS_PER_LAYER * arch.layersPerGpu();
    elementwiseLaunchS = elementwiseOverheadS;
    lmHeadLaunchS = Math.min(launch, gemm.overheadS());
    decodeFlopsPerSeq = arch.decodeFlopsPerSeq();
    decodeBytesPerSeq = arch.decodeBytesPerSeq();
    for (int s = 0; s < Architecture.SLOTS; s++) {
      if (arch.hasSlot(s)) {
        slotFlops[s] = arch.slotFlopsPerUnit(s);
        slotBytes[s] = arch.slotBytesPerUnit(s);
      }
    }
    attentionLayers = arch.attentionLayersPerGpu();
    decodeLaunchS = Math.min(launch, attention.decodeOverheadS()) * attentionLayers;
    prefillLaunchS = Math.min(launch, attention.prefillOverheadS()) * attentionLayers;
    allReducesPerStage = arch.allReducesPerStage();
    allToAllsPerStage = arch.ep() > 1 ? 2.0 * arch.moeLayers() / pp : 0;
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

  public Architecture architecture() {
    return arch;
  }

  /** Weight bytes one GPU reads in an iteration of {@code tokens} tokens (its stage, plus the LM head share). */
  public double weightBytesPerGpu(long tokens) {
    return arch.weightBytesReadPerGpu(weights, tokens) + lmHeadBytes / pp;
  }

  private double allReduceS(double bytes) {
    return Math.min(allReduce.seconds(bytes), customAllReduceLatencyS + bytes / customAllReduceBytesPerS);
  }

  private double stageSendS(double bytes) {
    if (pp == 1) {
      return 0;
    }
    return stageSendBytesPerS > 0 ? stageSendLatencyS + bytes / stageSendBytesPerS : sendRecv.seconds(bytes);
  }

  /** Fills {@code out} with the cost of the iteration {@code w} at the nominal clock. */
  public void cost(BatchWork w, IterationCost out) {
    cost(w, NOMINAL_CLOCK, out);
  }

  /**
   * A kernel's fixed time at clock factor k: the launch part as is, the rest × body(k) / body(1),
   * body = max(compute, memory) of the kernel's FLOPs and bytes (exactly {@code fixedS} at k = 1).
   * Why paced like the body: the part above the launch is the kernel's prologue, pipeline fill,
   * wave tail and split reduction, the same loads and math as its body on fewer tiles. In a
   * compute-bound kernel they are SM work and stretch with 1/k; in a memory-bound one the fill
   * and the tail wait on the first and last tiles' HBM loads and the reduction moves partial sums
   * through memory, none of it set by the SM clock. The ratio lies in [1, 1/k] and moves with
   * max(compute, memory), so the time stays continuous and monotone in k across a crossover.
   */
  private static double fixedAt(double fixedS, double launchS, double k, double flops, double bytes,
      double flopsPerSAtK, double flopsPerS, double bytesPerS) {
    if (k == NOMINAL_CLOCK) {
      return fixedS;
    }
    double nominal = KernelTime.seconds(flops, bytes, flopsPerS, bytesPerS, 0);
    double pace = nominal > 0 ? KernelTime.seconds(flops, bytes, flopsPerSAtK, bytesPerS, 0) / nominal : 1.0 / k;
    return launchS + (fixedS - launchS) * pace;
  }

  /**
   * Fills {@code out} with the cost of the iteration {@code w} with the GPUs at {@code clockFactor}
   * k = f / f_nominal in (0, 1] of their reference (boost) clock; a TP/PP group runs at its slowest
   * GPU's clock, so the caller passes the group's minimum. Per operator the compute side (FLOPs at
   * the achieved rate) takes 1/k as long, except a GEMM's under-fill part (the small-batch excess of
   * its efficiency hyperbola, a time per weight element: {@link GemmModel}), which stays as at k = 1;
   * the memory side (HBM bandwidth, not set by the SM clock) takes as long as at k = 1, and
   * KernelTime's max(compute, memory) is taken at k, so an operator memory-bound at the reference
   * clock turns compute-bound at a low enough clock. Attention kernels have no under-fill term
   * (their fitted rate does not depend on the batch, {@link AttentionKernelModel}): all their
   * compute side is × 1/k. Fixed times: the launch part as is, the rest at the pace of the kernel's
   * body, × max(compute, memory) at k over the same at k = 1 (1/k compute-bound, 1 memory-bound;
   * {@link #fixedAt}). Collectives (NVLink/NIC bandwidth and latency) and the CPU's time do not change. At k = 1 every number is bit-identical to the
   * reference path. The clock is recorded in the activity.
   */
  public void cost(BatchWork w, double clockFactor, IterationCost out) {
    if (!(clockFactor > 0 && clockFactor <= NOMINAL_CLOCK)) {
      throw new IllegalArgumentException("clock factor " + clockFactor + ": allowed 0 < factor ≤ 1");
    }
    out.batch = w;
    double k = clockFactor;
    double stretch = 1.0 / k; // exactly 1.0 at the reference clock
    long tokens = w.tokens();
    int decodes = w.decodeSeqs;
    int samples = w.samplingSeqs;
    // under pipeline parallelism the batch flows through the stages as m micro-batches (each a
    // 1/m share of the work, each re-reading the stage's weights): the pipeline takes m + pp − 1
    // stage times, and each GPU idles in the (pp − 1) bubbles
    int m = pp > 1 ? Math.max(1, Math.min(microBatches, w.seqs())) : 1;
    double f = 1.0 / m;
    double tokensMb = tokens * f;

    // linear layers of one stage, one micro-batch
    double linearFlops = (linearFlopsPerToken * tokens + w.extraFlops / arch.tp()) * f;
    double weightBytes = arch.weightBytesReadPerGpu(weights, Math.round(tokensMb));
    double linearBytes = weightBytes + activationBytesPerToken * tokensMb;
    // each operator: KernelTime (max(compute, memory) + fixed); the bound side goes to compute or
    // memory, the kernels' fixed times to compute
    double stageCompute = 0;
    double stageMemory = 0;
    double linearM = gemm.memoryS(linearBytes);
    double linearT = 0;
    double linearSm = 0;
    double linearFixed = linearOverheadS;
    if (tokens > 0) {
      double fps = gemm.flopsPerS(tokensMb, k);
      linearFixed = fixedAt(linearOverheadS, linearLaunchS, k, linearFlops, linearBytes, fps, gemm.flopsPerS(tokensMb),
          gemm.bytesPerS());
      double t = KernelTime.seconds(linearFlops, linearBytes, fps, gemm.bytesPerS(), linearFixed);
      if (KernelTime.memoryBound(linearFlops, linearBytes, fps, gemm.bytesPerS())) {
        stageMemory += t - linearFixed;
        linearSm = linearFixed; // weights streamed while most of the SM waits
      } else {
        stageCompute += t - linearFixed;
        linearSm = t;
      }
      stageCompute += linearFixed;
      linearT = t;
    }
    // element-wise kernels (norms, activation, RoPE, residual adds) of one stage, one micro-batch: memory-bound
    double elementwiseBytes = elementwiseBytesPerToken * tokensMb;
    double elementwiseT = 0;
    double elementwiseFixed = elementwiseOverheadS;
    if (tokens > 0) {
      elementwiseFixed = fixedAt(elementwiseOverheadS, elementwiseLaunchS, k, 0, elementwiseBytes,
          Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, elementwise.bytesPerS());
      double t = KernelTime.seconds(0, elementwiseBytes, Double.POSITIVE_INFINITY, elementwise.bytesPerS(),
          elementwiseFixed);
      stageMemory += t - elementwiseFixed;
      stageCompute += elementwiseFixed;
      elementwiseT = t;
    }

    // decode attention of one stage, one micro-batch
    double decodeFlops = decodeFlopsPerSeq * decodes;
    double decodeBytes = decodeBytesPerSeq * decodes;
    for (int s = 0; s < Architecture.SLOTS; s++) {
      decodeFlops += slotFlops[s] * w.decodeUnits[s];
      decodeBytes += slotBytes[s] * w.decodeUnits[s];
    }
    decodeFlops *= f;
    decodeBytes *= f;
    double decodeT = 0;
    double attentionFps = attention.flopsPerS() * k;
    double decodeFixed = 0;
    if (decodes > 0) {
      double fixed = fixedAt(attention.decodeOverheadS() * attentionLayers, decodeLaunchS, k, decodeFlops, decodeBytes,
          attentionFps, attention.flopsPerS(), attention.bytesPerS());
      decodeFixed = fixed;
      double t = KernelTime.seconds(decodeFlops, decodeBytes, attentionFps, attention.bytesPerS(), fixed);
      decodeT = t;
      if (KernelTime.memoryBound(decodeFlops, decodeBytes, attentionFps, attention.bytesPerS())) {
        stageMemory += t - fixed;
      } else {
        stageCompute += t - fixed;
      }
      stageCompute += fixed;
    }
    // prefill attention of one stage, one micro-batch
    double prefillFlops = 0;
    double prefillDiagonal = 0;
    double prefillBytes = 0;
    for (int i = 0; i < w.prefillSeqs(); i++) {
      long c = w.chunkTokens(i);
      long n = w.chunkCached(i);
      prefillFlops += arch.prefillFlops(c, n);
      prefillDiagonal += arch.prefillDiagonalFlops(c);
      prefillBytes += arch.prefillBytes(c, n);
    }
    prefillFlops *= f;
    prefillDiagonal *= f;
    prefillBytes *= f;
    double prefillT = 0;
    double prefillFixed = 0;
    if (w.prefillSeqs() > 0) {
      double work = attention.prefillWork(prefillFlops, prefillDiagonal);
      double fixed = fixedAt(attention.prefillOverheadS() * attentionLayers, prefillLaunchS, k, work, prefillBytes,
          attentionFps, attention.flopsPerS(), attention.bytesPerS());
      prefillFixed = fixed;
      double t = KernelTime.seconds(work, prefillBytes, attentionFps, attention.bytesPerS(), fixed);
      prefillT = t;
      if (KernelTime.memoryBound(work, prefillBytes, attentionFps, attention.bytesPerS())) {
        stageMemory += t - fixed;
      } else {
        stageCompute += t - fixed;
      }
      stageCompute += fixed;
    }
    // collectives of one stage, one micro-batch
    double messageBytes = tokensMb * arch.allReduceBytesPerToken();
    double stageComm = allReducesPerStage * allReduceS(messageBytes);
    if (allToAllsPerStage > 0) {
      stageComm += allToAllsPerStage * allToAll.seconds(messageBytes * arch.profile().moe().active() / arch.ep());
    }
    // LM head on the last stage, per micro-batch
    double samplesMb = samples * f;
    double lmFlops = lmHeadFlopsPerSample * samplesMb;
    double lmM = samples > 0 ? gemm.memoryS(lmHeadBytes) : 0;
    double lmTime = 0;
    double lmCompute = 0; // the LM head's compute-side seconds (its fixed time included)
    if (samples > 0) {
      double fps = gemm.flopsPerS(samplesMb, k);
      double fixed = fixedAt(gemm.overheadS(), lmHeadLaunchS, k, lmFlops, lmHeadBytes, fps, gemm.flopsPerS(samplesMb),
          gemm.bytesPerS());
      lmTime = KernelTime.seconds(lmFlops, lmHeadBytes, fps, gemm.bytesPerS(), fixed);
      lmCompute = KernelTime.memoryBound(lmFlops, lmHeadBytes, fps, gemm.bytesPerS()) ? fixed : lmTime;
    }
    double send = stageSendS(messageBytes);

    int stageTimes = m + pp - 1;
    out.computeS = stageTimes * stageCompute + m * lmCompute;
    out.memoryS = stageTimes * stageMemory + m * (lmTime - lmCompute);
    out.communicationS = stageTimes * stageComm + (pp > 1 ? (stageTimes - 1) * send : 0);
    double cpu = cpuFixedS + cpuPerSeqS * w.seqs() + cpuPerTokenS * tokens + w.extraCpuS;
    out.cpuS = cpu * cpuVisible;

    // what each GPU does: every stage the same m micro-batches of its layers (attention and
    // element-wise kernels keep the SMs issuing whether compute- or memory-bound), the last stage
    // the LM head besides
    IterationActivity a = out.activity;
    a.reset(pp, clockFactor);
    a.tensorPeak(IterationActivity.LINEAR, gemm.peakFlops());
    a.tensorPeak(IterationActivity.LM_HEAD, gemm.peakFlops());
    a.tensorPeak(IterationActivity.DECODE_ATTENTION, attentionPeak);
    a.tensorPeak(IterationActivity.PREFILL_ATTENTION, attentionPeak);
    for (int stage = 0; stage < pp; stage++) {
      a.set(stage, IterationActivity.LINEAR, m * linearFlops, m * linearBytes, m * linearT, m * linearSm);
      a.set(stage, IterationActivity.ELEMENTWISE, 0, m * elementwiseBytes, m * elementwiseT, m * elementwiseT);
      a.set(stage, IterationActivity.DECODE_ATTENTION, m * decodeFlops, m * decodeBytes, m * decodeT, m * decodeT);
      a.set(stage, IterationActivity.PREFILL_ATTENTION, m * prefillFlops, m * prefillBytes, m * prefillT,
          m * prefillT);
      a.set(stage, IterationActivity.COLLECTIVES, 0, 0, m * stageComm, 0);
      a.set(stage, IterationActivity.LM_HEAD, 0, 0, 0, 0); // the last stage's is set below
    }
    a.set(pp - 1, IterationActivity.LM_HEAD, m * lmFlops, samples > 0 ? m * lmHeadBytes : 0, m * lmTime,
        m * lmCompute);

    // cost weights: each part of the time, charged to whom it serves
    double perTokenLinear = tokens > 0 ? gemm.computeS(linearFlopsPerToken, tokens, k) : 0;
    double commOneToken = allReducesPerStage * allReduceS(arch.allReduceBytesPerToken());
    double commPerToken = tokens > 1 ? (stageComm - commOneToken) / tokens : 0;
    double perTokenElementwise = elementwiseBytesPerToken / elementwise.bytesPerS();
    out.sharedCost = pp * (linearM + (tokens > 0
            ? linearFixed + elementwiseFixed : 0) + commOneToken
        + (decodes > 0 ? decodeFixed : 0)
        + (w.prefillSeqs() > 0 ? prefillFixed : 0))
        + lmM + (pp - 1) * send + cpuFixedS + w.extraCpuS
        + pp * (perTokenLinear + gemm.memoryS(activationBytesPerToken) + perTokenElementwise) * w.extraTokens;
    out.perTokenCost = pp * (perTokenLinear + gemm.memoryS(activationBytesPerToken) + perTokenElementwise
        + Math.max(0, commPerToken))
        + cpuPerTokenS;
    out.perSeqCost = cpuPerSeqS;
    out.perDecodeCost = pp * (attention.computeS(decodeFlopsPerSeq) * stretch + attention.memoryS(decodeBytesPerSeq));
    out.perSampleCost = samples > 0 ? gemm.computeS(lmHeadFlopsPerSample, samples, k) : 0;
    double total2 = out.sharedCost + (out.perTokenCost + out.perSeqCost + out.perDecodeCost + out.perSampleCost) * decodes;
    for (int s = 0; s < Architecture.SLOTS; s++) {
      out.perUnitCost[s] = pp * (attention.computeS(slotFlops[s]) * stretch + attention.memoryS(slotBytes[s]));
      total2 += out.perUnitCost[s] * w.decodeUnits[s];
    }
    for (int i = 0; i < w.prefillSeqs(); i++) {
      total2 += prefillSeqCost(out, w.chunkTokens(i), w.chunkCached(i), false, stretch);
    }
    total2 += out.perSampleCost * (samples - decodes); // finishing prefills sample too
    out.totalCost = total2;
  }

  /** The cost of one prefill sequence with a chunk of c tokens after n cached ones. */
  public double prefillSeqCost(IterationCost cost, long chunkTokens, long cachedTokens, boolean samples) {
    return prefillSeqCost(cost, chunkTokens, cachedTokens, samples, cost.activity.clockFactor() == NOMINAL_CLOCK
        ? 1.0 : 1.0 / cost.activity.clockFactor());
  }

  private double prefillSeqCost(IterationCost cost, long chunkTokens, long cachedTokens, boolean samples,
      double stretch) {
    double own = attention.prefillComputeS(arch.prefillFlops(chunkTokens, cachedTokens),
        arch.prefillDiagonalFlops(chunkTokens)) * stretch
        + attention.memoryS(arch.prefillBytes(chunkTokens, cachedTokens));
    return cost.perTokenCost * chunkTokens + cost.perSeqCost + (samples ? cost.perSampleCost : 0) + pp * own;
  }

  /** The cost of one decode sequence with context units g_slot(n), without its share of the shared cost. */
  public static double decodeSeqCost(IterationCost cost, double[] units) {
    double c = cost.perTokenCost + cost.perSeqCost + cost.perDecodeCost + cost.perSampleCost;
    for (int s = 0; s < units.length; s++) {
      c += cost.perUnitCost[s] * units[s];
    }
    return c;
  }
}
