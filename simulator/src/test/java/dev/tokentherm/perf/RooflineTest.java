package dev.tokentherm.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import org.junit.jupiter.api.Test;

/**
 * Llama-3.1-8B on one H100 (TP 1) with the vllm-v1 stack, computed by hand from the profiles:
 * <ul>
 *   <li>GEMMs: plateau 989e12 · 0.758 = 749.662e12 FLOP/s reached as T / (T + 164) with T tokens;
 *       6.8 µs per kernel, 4 kernels per layer; weights and activations at 3,350e9 · 0.86 = 2.881e12 B/s;
 *   <li>attention kernels: 989e12 · 0.43 = 425.27e12 FLOP/s, KV at 3,350e9 · 0.87 = 2.9145e12 B/s,
 *       18 µs per decode kernel and 25.5 µs per prefill kernel per layer, diagonal factor 2.4;
 *   <li>element-wise kernels: 3,350e9 · 0.56 = 1.876e12 B/s, 1.9 µs per kernel, 5 kernels per
 *       layer (2 norms, RoPE, SiLU·mul, residual add): 160 kernels, 0.304 ms fixed. Bytes per token
 *       per layer 2 B · (2 norms · 2 · 4096 + RoPE 2 · (32 + 8) · 128 + act 3 · 14336 + add 3 · 4096)
 *       = 2 · 81,920 = 163,840 B, 5,242,880 B over 32 layers;
 *   <li>every operator t = max(compute, memory) + fixed (perf.KernelTime, the calibration's form):
 *       the bound side goes to compute or memory, the fixed times to compute;
 *   <li>CPU 1 ms + 10 µs per sequence.
 * </ul>
 * LM-head convention: a sampling iteration reads the whole LM head (525,336,576 params); the
 * linear layers are 6,979,321,856 params; activations in and out of the 4 GEMMs of a layer are
 * 2 B · ((4096 + 6144) + (4096 + 4096) + (4096 + 28672) + (14336 + 4096)) = 139,264 B per token per
 * layer, 4,456,448 B over 32 layers.
 */
class RooflineTest {

  private static Roofline llama8bOnH100() {
    Architecture arch = new Architecture(TestProfiles.model("llama-3.1-8b"), null, Dtype.BF16, 1, 1, 1);
    return new Roofline(arch, TestProfiles.gpu("h100-sxm"), TestProfiles.node("dgx-h100"),
        TestProfiles.stack("vllm-v1"), Dtype.BF16, Dtype.BF16, false);
  }

  @Test
  void decodeAtBatchOneReadsTheWeightsAndTheKv() {
    // one sequence at context 1,024:
    //   linear: read (13,958,643,712 + 4,456,448) B / 2.881e12 = 4.846616 ms (memory-bound: FLOPs
    //     2 · 6.979e9 · (1 + 164) / 749.662e12 = 3.072 ms) + 128 kernels · 6.8 µs = 0.870400 ms fixed
    //   element-wise: 5,242,880 B / 1.876e12 = 0.002795 ms + 0.304 ms fixed
    //   LM head: 1,050,673,152 B / 2.881e12 = 0.364690 ms (FLOPs 0.231 ms) + 6.8 µs fixed
    //   attention: KV read 1,024 + write 1 token · 131,072 B = 134,348,800 B / 2.9145e12 = 0.046097 ms
    //     (FLOPs 4 · 32 · 128 · 32 · 1,024 / 425.27e12 = 1.262 µs) + 32 kernels · 18 µs = 0.576 ms fixed
    //   compute (fixed times) 0.870400 + 0.304 + 0.0068 + 0.576 = 1.757200 ms,
    //   memory 4.846616 + 0.002795 + 0.364690 + 0.046097 = 5.260198 ms, CPU 1.010: total 8.027398 ms
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.decodeUnits[0] = 1024;
    w.samplingSeqs = 1;
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, c);
    assertThat(c.computeS * 1e3).isCloseTo(1.757200, within(1e-6));
    assertThat(c.memoryS * 1e3).isCloseTo(5.260198, within(1e-6));
    assertThat(c.communicationS).isZero();
    assertThat(c.cpuS * 1e3).isCloseTo(1.010, within(1e-12));
    assertThat(c.totalS() * 1e3).isCloseTo(8.027398, within(1e-6));
    // power (power.PowerModel, the profile's coefficients), over the 7.017398 ms the GPU works:
    //   s_sm = (1.757200 fixed + 0.002795 element-wise + 0.046097 attention) / 7.017398 = 0.257373
    //     (the linear layers' and the LM head's weight streaming are not SM-active);
    //   u_mem = (15,148,122,112 + 5,242,880) B / 3.35e12 / 7.017398 ms = 0.644597;
    //   u_tensor = (15,009,316,864 + 536,870,912) / 989e12 / 7.017398 ms = 0.0022400;
    //   (power.StagePowerTest turns these into watts)
    IterationActivity a = c.activity;
    assertThat(a.stages()).isEqualTo(1);
    assertThat(a.clockFactor()).isEqualTo(1.0);
    assertThat(a.stageBusyS(0) * 1e3).isCloseTo(7.017398, within(1e-6));
    assertThat(a.stageSmActiveS(0) * 1e3).isCloseTo(1.806092, within(1e-6));
    assertThat(a.stageBytes(0)).isCloseTo(15_148_122_112.0 + 5_242_880, within(1.0));
    assertThat(a.stageFlops(0)).isCloseTo(15_009_316_864.0 + 536_870_912, within(1.0));
    // by operator: the LM head streams its 1,050,673,152 B with only its fixed time SM-active;
    // attention is SM-active throughout
    assertThat(a.bytes(0, IterationActivity.LM_HEAD)).isEqualTo(1_050_673_152.0);
    assertThat(a.smActiveS(0, IterationActivity.LM_HEAD) * 1e6).isCloseTo(6.8, within(1e-9));
    assertThat(a.smActiveS(0, IterationActivity.DECODE_ATTENTION) * 1e3).isCloseTo(0.576 + 0.046097, within(1e-6));
    assertThat(a.busyS(0, IterationActivity.COLLECTIVES)).isZero();
  }

  @Test
  void prefillOf2048TokensIsComputeBound() {
    // 2,048 tokens, nothing cached, the last one samples:
    //   linear: 2 · 6,979,321,856 · 2,048 FLOPs · (2,048 + 164) / 2,048 / 749.662e12 + 128 · 6.8 µs
    //     = 41.187265 + 0.870400 = 42.057655 ms (weights + activations read: 8.013 ms)
    //   attention: causal 4 · 32 · 128 · 32 · 2,048 · 1,024 = 1.099512e12 FLOPs, diagonal 2 · 2,048² ·
    //     32 · 128 · 32 = 1.099512e12 counted 1.4 more times: 2.638829e12 / 425.27e12 = 6.205065 ms
    //     + 32 · 25.5 µs = 7.021065 ms (KV write 92 µs)
    //   element-wise: 5,242,880 · 2,048 = 10,737,418,240 B / 1.876e12 = 5.723570 ms + 0.304 ms fixed
    //   LM head: 0.364690 ms (memory-bound) + 6.8 µs fixed; CPU 1.010 ms
    //   compute = 42.057655 + 7.021065 + 0.304 + 0.0068 = 49.389520 ms, memory = 0.364690 + 5.723570
    //   = 6.088260 ms; total = 49.389520 + 6.088260 + 1.010 = 56.487781 ms
    BatchWork w = new BatchWork();
    w.addPrefillChunk(2048, 0, true);
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, c);
    assertThat(c.computeS * 1e3).isCloseTo(49.389520, within(1e-5));
    assertThat(c.memoryS * 1e3).isCloseTo(6.088260, within(1e-5));
    assertThat(c.totalS() * 1e3).isCloseTo(56.487781, within(1e-5));
    // s_sm = (49.389520 + 5.723570 element-wise) / 55.477781 = 0.993426 (only the LM head streams),
    // u_tensor = (2.858730e13 + 1.050673e9 + 1.099512e12) / 989e12 / 55.477781 ms = 0.541083,
    // u_mem = (24,404,557,824 + 10,737,418,240) B / 3.35e12 / 55.477781 ms = 0.189087:
    // (power.StagePowerTest turns these into watts)
    assertThat(c.activity.stageBusyS(0) * 1e3).isCloseTo(55.477781, within(1e-5));
    assertThat(c.activity.stageSmActiveS(0) * 1e3).isCloseTo(55.113090, within(1e-5));
    assertThat(c.activity.stageTensorPeakS(0) / c.activity.stageBusyS(0)).isCloseTo(0.541083, within(1e-6));
    assertThat(c.activity.stageBytes(0) / 3.35e12 / c.activity.stageBusyS(0)).isCloseTo(0.189087, within(1e-6));
  }

  @Test
  void tensorParallelismAddsTwoAllReducesPerLayer() {
    // dense-1t at TP 8 on DGX-H200, one decode token: 256 all-reduces of 25,600 · 2 B = 51,200 B
    // with the faster of NCCL (DGX-H200 8-GPU fit) and vLLM's custom all-reduce (10 µs + 51,200 B /
    // (365e9 · 8 / 14) B/s = 10.245 µs)
    Architecture arch = new Architecture(TestProfiles.model("dense-1t"), null, Dtype.FP8, 8, 1, 1);
    Roofline r = new Roofline(arch, TestProfiles.gpu("h200-sxm"), TestProfiles.node("dgx-h200"),
        TestProfiles.stack("vllm-v1"), Dtype.FP8, Dtype.FP8, false);
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.samplingSeqs = 1;
    IterationCost c = new IterationCost();
    r.cost(w, c);
    double custom = 10e-6 + 51_200 / (365e9 * 8 / 14.0);
    double nccl = CollectiveModel.allReduce(TestProfiles.node("dgx-h200"), 8).seconds(51_200);
    assertThat(c.communicationS).isCloseTo(256 * Math.min(custom, nccl), within(1e-12));
    assertThat(c.communicationS).isLessThanOrEqualTo(256 * custom);
    // weights: 1,004,955,238,400 linear + 3,283,353,600 LM head fp8 bytes / 8 GPUs
    assertThat(r.weightBytesPerGpu(1)).isEqualTo((1_004_955_238_400.0 + 3_283_353_600.0) / 8);
  }

  @Test
  void energySharesOfABatchAddUpToTheWhole() {
    BatchWork w = new BatchWork();
    w.decodeSeqs = 3;
    w.decodeUnits[0] = 1000 + 5000 + 20_000;
    w.samplingSeqs = 3;
    w.addPrefillChunk(512, 4096, false);
    IterationCost c = new IterationCost();
    Roofline r = llama8bOnH100();
    r.cost(w, c);
    double shared = c.sharedCost / w.seqs();
    double sum = 4 * shared + Roofline.decodeSeqCost(c, new double[] {1000, 0, 0, 0})
        + Roofline.decodeSeqCost(c, new double[] {5000, 0, 0, 0})
        + Roofline.decodeSeqCost(c, new double[] {20_000, 0, 0, 0}) + r.prefillSeqCost(c, 512, 4096, false);
    assertThat(sum / c.totalCost).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void pipelineStagesRunOneAfterAnotherWithASendBetween() {
    // dense-1t TP 8: PP 2 splits the layers in two stages run in sequence, so the GPU parts add up
    // to those of PP 1, plus one activation send of 25,600 · 2 B per token over a 400 Gb/s NIC
    // (10 µs + 51,200 B / 50e9 B/s for one decode token); each GPU works half of it
    Architecture pp1 = new Architecture(TestProfiles.model("dense-1t"), null, Dtype.FP8, 8, 1, 1);
    Architecture pp2 = new Architecture(TestProfiles.model("dense-1t"), null, Dtype.FP8, 8, 2, 1);
    var gpu = TestProfiles.gpu("h200-sxm");
    var node = TestProfiles.node("dgx-h200");
    var stack = TestProfiles.stack("vllm-v1");
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.decodeUnits[0] = 100_000;
    w.samplingSeqs = 1;
    IterationCost one = new IterationCost();
    IterationCost two = new IterationCost();
    new Roofline(pp1, gpu, node, stack, Dtype.FP8, Dtype.FP8, false).cost(w, one);
    new Roofline(pp2, gpu, node, stack, Dtype.FP8, Dtype.FP8, true).cost(w, two);
    double send = 10e-6 + 51_200 / 50e9;
    assertThat(two.totalS()).isCloseTo(one.totalS() + send, within(1e-12));
    // the last stage works more than the first by the LM head it alone runs
    assertThat(two.activity.stageBusyS(1)).isLessThan(0.51 * one.activity.stageBusyS(0));
    assertThat(two.activity.stageBusyS(1) - two.activity.stageBusyS(0))
        .isCloseTo(two.activity.busyS(1, IterationActivity.LM_HEAD), within(1e-15));
    assertThat(two.activity.busyS(0, IterationActivity.LM_HEAD)).isZero();
    // and each GPU holds half the layers' KV
    assertThat(pp2.bytesPerHeldTokenPerGpu()).isEqualTo(pp1.bytesPerHeldTokenPerGpu() / 2);
  }

  @Test
  void microBatchesFillThePipelineAtTheCostOfRereadingWeights() {
    // PP 2 with 2 micro-batches of 8 decodes each: the pipeline runs 3 stage times (one bubble),
    // each GPU works 2 stage times of an 8-decode micro-batch, so exactly twice what it works for
    // one batch of 8; the whole takes longer than one batch of 8 but less than two in a row
    Architecture pp2 = new Architecture(TestProfiles.model("dense-1t"), null, Dtype.FP8, 8, 2, 1);
    var gpu = TestProfiles.gpu("h200-sxm");
    var node = TestProfiles.node("dgx-h200");
    var stack = TestProfiles.stack("vllm-v1");
    IterationCost eight = new IterationCost();
    IterationCost sixteen = new IterationCost();
    new Roofline(pp2, gpu, node, stack, Dtype.FP8, Dtype.FP8, true, 1).cost(decodes(8), eight);
    new Roofline(pp2, gpu, node, stack, Dtype.FP8, Dtype.FP8, true, 2).cost(decodes(16), sixteen);
    for (int stage = 0; stage < 2; stage++) {
      assertThat(sixteen.activity.stageBusyS(stage)).isCloseTo(2 * eight.activity.stageBusyS(stage), within(1e-12));
    }
    double gpuEight = eight.gpuS();
    assertThat(sixteen.gpuS()).isGreaterThan(gpuEight).isLessThan(2 * gpuEight);
    // with one micro-batch the GPUs idle half the time (a bubble of one stage in two)
    assertThat(eight.activity.stageBusyS(0) / eight.gpuS()).isCloseTo(0.5, within(0.02));
  }

  private static BatchWork decodes(int n) {
    BatchWork w = new BatchWork();
    w.decodeSeqs = n;
    w.samplingSeqs = n;
    w.decodeUnits[0] = n * 10_000L;
    return w;
  }

  // Clocks: at factor k = f / 1,980 MHz the compute side of every operator takes 1/k as long, but a
  // GEMM's under-fill part (GemmModel: its time F / 749.662e12 · 164 / T, the same for any T) stays;
  // the memory side takes as long; a kernel's fixed time keeps its launch part (the element-wise
  // kernel's 1.9 µs on the H100) and the rest goes at the pace of its body, × max(compute, memory)
  // at k / max(compute, memory) at 1: GEMM 1.9 + 4.9 · pace µs, decode attention 1.9 + 16.1 · pace µs,
  // prefill attention 1.9 + 23.6 · pace µs, element-wise 1.9 µs (pace 1/k compute-bound at both
  // clocks, 1 memory-bound at both).

  @Test
  void aComputeBoundGemmsPlateauPartTakesTwiceAsLongAtHalfClock() {
    // prefill of 2,048 tokens (see prefillOf2048TokensIsComputeBound): linear FLOPs
    // 2 · 6,979,321,856 · 2,048 / 749.662e12 = 38.133589 ms at the plateau, 41.187255 ms with the
    // under-fill part (× 2,212 / 2,048) at the boost clock; at half clock 38.133589 · (2 + 164 / 2,048)
    // = 79.320844 ms (the plateau part twice, the under-fill 3.053666 ms as is): pace
    // (2 · 2,048 + 164) / (2,048 + 164) = 4,260 / 2,212 = 1.925859; fixed 128 · (1.9 + 4.9 · 1.925859) µs
    // = 1.451099 ms: 80.771943 ms, SM-active throughout
    BatchWork w = new BatchWork();
    w.addPrefillChunk(2048, 0, true);
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, 0.5, c);
    assertThat(c.activity.clockFactor()).isEqualTo(0.5);
    assertThat(c.activity.busyS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(80.771943, within(1e-5));
    assertThat(c.activity.smActiveS(0, IterationActivity.LINEAR))
        .isEqualTo(c.activity.busyS(0, IterationActivity.LINEAR));
    // the element-wise kernels (memory-bound, launch-only fixed time) do not change:
    // 5.723570 ms + 0.304 ms
    assertThat(c.activity.busyS(0, IterationActivity.ELEMENTWISE) * 1e3).isCloseTo(6.027570, within(1e-5));
  }

  @Test
  void aMemoryBoundKernelTakesAsLongAtHalfClock() {
    // decode attention at context 1,024 (see decodeAtBatchOneReadsTheWeightsAndTheKv): KV read
    // 0.046097 ms (FLOPs 1.262 µs, 2.524 µs at half clock: still memory-bound, pace 1), fixed
    // 32 · 18 µs = 0.576 ms as at the boost clock
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(oneDecode(), 0.5, c);
    assertThat(c.activity.busyS(0, IterationActivity.DECODE_ATTENTION) * 1e3)
        .isCloseTo(0.046097 + 0.576, within(1e-6));
    // the CPU's time and the (absent) collectives do not change
    assertThat(c.cpuS * 1e3).isCloseTo(1.010, within(1e-12));
    assertThat(c.communicationS).isZero();
  }

  @Test
  void decodeAtBatchOneStaysMemoryBoundDownToTheLowestClock() {
    // decode at batch 1: linear FLOPs 2 · 6,979,321,856 / 749.662e12 = 0.018620 ms at the plateau,
    // under-fill 0.018620 · 164 = 3.053666 ms; weights and activations 13,963,100,160 B / 2.881e12
    // = 4.846616 ms. Compute 0.018620 / k + 3.053666 ms reaches it only below
    // k* = 0.018620 / (4.846616 − 3.053666) = 0.010385, under min_mhz (k = 210 / 1,980 = 0.106).
    //   k = 0.62: compute 3.083698 < 4.846616 ms, pace 1: 4.846616 + 128 · 6.8 µs = 4.846616 + 0.870400
    //     = 5.717016 ms, as at the boost clock, SM-active only its fixed time.
    Roofline r = llama8bOnH100();
    IterationCost c = new IterationCost();
    r.cost(oneDecode(), 0.62, c);
    assertThat(c.activity.busyS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(5.717016, within(1e-6));
    assertThat(c.activity.smActiveS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(0.870400, within(1e-6));
    r.cost(oneDecode(), 210.0 / 1980, c);
    assertThat(c.activity.busyS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(5.717016, within(1e-6));
  }

  @Test
  void aMemoryBoundGemmTurnsComputeBoundBelowItsCrossoverClock() {
    // decode at batch 64: linear FLOPs at the plateau 0.018620 · 64 = 1.191675 ms, under-fill
    // 3.053666 ms (4.245341 ms at the boost clock); weights and activations
    // (13,958,643,712 + 64 · 4,456,448) B / 2.881e12 = 4.944067 ms: memory-bound at the boost clock,
    // compute-bound below k* = 1.191675 / (4.944067 − 3.053666) = 0.63038.
    //   k = 0.65: compute 1.191675 / 0.65 + 3.053666 = 4.887012 < 4.944067 ms, memory-bound, pace 1:
    //     4.944067 + 128 · 6.8 µs = 5.814467 ms, SM-active only its fixed time;
    //   k = 0.62: compute 4.975722 > 4.944067 ms, compute-bound, pace 4.975722 / 4.944067 = 1.006403:
    //     4.975722 + 128 · (1.9 + 4.9 · 1.006403) µs = 4.975722 + 0.874416 = 5.850138 ms, SM-active throughout.
    Roofline r = llama8bOnH100();
    IterationCost c = new IterationCost();
    BatchWork w = new BatchWork();
    w.decodeSeqs = 64;
    w.decodeUnits[0] = 64 * 1024L;
    w.samplingSeqs = 64;
    r.cost(w, 0.65, c);
    assertThat(c.activity.busyS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(5.814467, within(1e-6));
    assertThat(c.activity.smActiveS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(0.870400, within(1e-6));
    r.cost(w, 0.62, c);
    assertThat(c.activity.busyS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(5.850138, within(1e-6));
    assertThat(c.activity.smActiveS(0, IterationActivity.LINEAR) * 1e3).isCloseTo(5.850138, within(1e-6));
  }

  @Test
  void iterationTimeNeverFallsAsTheClockFallsAcrossTheGrid() {
    // every term of the time is non-increasing in k: compute sides F / (rate · k) or the GEMM's
    // plateau / k + under-fill, memory sides constant, max of the two, fixed times
    // launch + rest · max(compute, memory)(k) / max(compute, memory)(1); so a crossover (batch 64 at
    // k 0.630) or the compute-bound prefill never makes a lower clock faster. H100 grid 210-1,980 MHz.
    Roofline r = llama8bOnH100();
    IterationCost c = new IterationCost();
    BatchWork prefill = new BatchWork();
    prefill.addPrefillChunk(2048, 0, true);
    BatchWork[] works = {oneDecode(), decodes(8), decodes(64), decodes(256), prefill};
    for (BatchWork w : works) {
      double previous = Double.POSITIVE_INFINITY;
      for (int mhz = 210; mhz <= 1980; mhz += 15) {
        r.cost(w, mhz / 1980.0, c);
        assertThat(c.totalS()).as("%d MHz", mhz).isLessThanOrEqualTo(previous);
        previous = c.totalS();
      }
    }
  }

  @Test
  void theReferenceClockIsTheDefaultAndFactorsOutsideZeroToOneAreRejected() {
    Roofline r = llama8bOnH100();
    IterationCost a = new IterationCost();
    IterationCost b = new IterationCost();
    r.cost(oneDecode(), a);
    r.cost(oneDecode(), 1.0, b);
    assertThat(b.totalS()).isEqualTo(a.totalS());
    assertThat(b.totalCost).isEqualTo(a.totalCost);
    for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.cost(oneDecode(), bad, a))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static BatchWork oneDecode() {
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.decodeUnits[0] = 1024;
    w.samplingSeqs = 1;
    return w;
  }
}
