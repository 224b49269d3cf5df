package dev.tokentherm.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.model.DenseTransformer;
import dev.tokentherm.model.Dtype;
import org.junit.jupiter.api.Test;

/**
 * Llama-3.1-8B on one H100 (TP 1) with the vllm-v1 stack, computed by hand from the profiles:
 * H100 3,350 GB/s · 0.86 memory efficiency = 2.881e12 B/s; 989 TFLOP/s · 0.70 GEMM = 692.3e12;
 * attention 989 · 0.36 = 356.04e12; CPU 1 ms + 10 µs per sequence.
 *
 * <p>LM-head convention: every iteration reads the whole LM head (525,336,576 params) besides the
 * 6,979,321,856 linear-layer params; embedding rows gathered are neglected. Weights 7,504,658,432
 * params · 2 B = 15,009,316,864 B.
 */
class RooflineTest {
  private static final double BYTES_PER_S = 3350e9 * 0.86;

  private static Roofline llama8bOnH100() {
    return new Roofline(new DenseTransformer(TestProfiles.model("llama-3.1-8b")), TestProfiles.gpu("h100-sxm"),
        TestProfiles.node("dgx-h100"), TestProfiles.stack("vllm-v1"), Dtype.BF16, Dtype.BF16, Dtype.BF16, 1);
  }

  @Test
  void decodeAtBatchOneReadsTheWeightsAndTheKv() {
    // one sequence at context 1,024:
    //   linear: 13,958,643,712 B / 2.881e12 = 4.845069 ms (FLOPs 2 · 6.979e9 / 692.3e12 = 20.2 µs: memory-bound)
    //   LM head: 1,050,673,152 B / 2.881e12 = 0.364690 ms
    //   attention: KV read 1,024 + write 1 token · 131,072 B = 134,348,800 B / 2.881e12 = 46.633 µs
    //     (FLOPs 4 · 32 · 128 · 32 layers · 1,024 = 536.9 M / 356.04e12 = 1.5 µs)
    //   memory part = 5.256392 ms; CPU 1.010 ms; total 6.266392 ms
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.decodeContextTokens = 1024;
    w.samplingSeqs = 1;
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, c);
    assertThat(c.computeS).isZero();
    assertThat(c.memoryS * 1e3).isCloseTo(5.256392, within(1e-6));
    assertThat(c.communicationS).isZero();
    assertThat(c.cpuS * 1e3).isCloseTo(1.010, within(1e-12));
    assertThat(c.totalS() * 1e3).isCloseTo(6.266392, within(1e-6));
    // "weights / bandwidth" alone: 15,009,316,864 / 2.881e12 = 5.209759 ms; the LM head is 7 % of it
    assertThat(15_009_316_864.0 / BYTES_PER_S * 1e3).isCloseTo(5.209759, within(1e-6));
    // power: u_memory = bytes / (3,350e9 · busy) = 15,143,665,664 / 3.35e12 / 5.256392e-3 = 0.86;
    //   u_compute = (15,009,316,864 + 536,870,912) FLOPs / 989e12 / 5.256392e-3 = 0.0029905;
    //   P = 120 + 580 · (1.43 · 0.0029905 + 0.52 · 0.86) = 381.856 W while busy; over the iteration
    //   with 1.01 ms at 120 W: (381.856 · 5.256392 + 120 · 1.010) / 6.266392 = 339.65 W
    assertThat(c.busyPowerW).isCloseTo(381.856, within(0.001));
    assertThat(c.averagePowerW).isCloseTo((381.856 * 5.256392 + 120 * 1.010) / 6.266392, within(0.001));
  }

  @Test
  void prefillOf2048TokensIsComputeBound() {
    // 2,048 tokens, nothing cached, the last one samples:
    //   linear FLOPs 2 · 6,979,321,856 · 2,048 = 2.858730e13 / 692.3e12 = 41.293229 ms (compute-bound)
    //   LM head: weight read 0.364690 ms (memory-bound; 1 sampled row = 1.5 µs of FLOPs)
    //   attention: 2,048 · (0 + 1,024) pairs · 4 · 32 · 128 · 32 = 1.099512e12 FLOPs / 356.04e12 = 3.088169 ms
    //     (KV write 2,048 · 131,072 B = 93 µs: compute-bound)
    //   total = 41.293229 + 0.364690 + 3.088169 + 1.010 = 45.756088 ms
    BatchWork w = new BatchWork();
    w.addPrefillChunk(2048, 0, true);
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, c);
    assertThat(c.computeS * 1e3).isCloseTo(41.293229 + 3.088169, within(1e-5));
    assertThat(c.memoryS * 1e3).isCloseTo(0.364690, within(1e-6));
    assertThat(c.totalS() * 1e3).isCloseTo(45.756088, within(1e-5));
    // u_compute = (2.8587e13 + 1.05e9 + 1.0995e12) / 989e12 / 44.746 ms = 0.671 → 1.43 · 0.671 + … ≥ 1: the 700 W limit
    assertThat(c.busyPowerW).isEqualTo(700.0);
  }

  @Test
  void tensorParallelismAddsTwoAllReducesPerLayer() {
    // dense-1t at TP 8 on DGX-H200, one decode token: 2 · 128 all-reduces · (10 µs + 25,600 · 2 B /
    // (365e9 · 8 / 14 B/s)) = 256 · (10 µs + 0.245 µs) = 2.6228 ms
    Roofline r = new Roofline(new DenseTransformer(TestProfiles.model("dense-1t")), TestProfiles.gpu("h200-sxm"),
        TestProfiles.node("dgx-h200"), TestProfiles.stack("vllm-v1"), Dtype.FP8, Dtype.FP8, Dtype.FP8, 8);
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.samplingSeqs = 1;
    IterationCost c = new IterationCost();
    r.cost(w, c);
    double algorithmBandwidth = 365e9 * 8 / 14.0;
    assertThat(c.communicationS).isCloseTo(256 * (10e-6 + 51_200 / algorithmBandwidth), within(1e-12));
    // weights: (1,004,955,238,400 + 3,283,353,600) fp8 bytes / 8 GPUs / (4,800e9 · 0.86) = 30.540 ms
    assertThat(r.weightBytesPerGpu()).isEqualTo((1_004_955_238_400.0 + 3_283_353_600.0) / 8);
    assertThat(c.memoryS * 1e3).isCloseTo(1_008_238_592_000.0 / 8 / (4800e9 * 0.86) * 1e3, within(1e-3));
  }

  @Test
  void energySharesOfABatchAddUpToTheWhole() {
    BatchWork w = new BatchWork();
    w.decodeSeqs = 3;
    w.decodeContextTokens = 1000 + 5000 + 20_000;
    w.samplingSeqs = 3;
    w.addPrefillChunk(512, 4096, false);
    IterationCost c = new IterationCost();
    llama8bOnH100().cost(w, c);
    double shared = c.sharedCost / w.seqs();
    double sum = 3 * shared + c.decodeSeqCost(1000) + c.decodeSeqCost(5000) + c.decodeSeqCost(20_000)
        + shared + c.prefillSeqCost(512, 4096, false);
    assertThat(sum / c.totalCost).isCloseTo(1.0, within(1e-12));
    assertThat(c.decodeSeqCost(20_000)).isGreaterThan(c.decodeSeqCost(1000));
  }
}
