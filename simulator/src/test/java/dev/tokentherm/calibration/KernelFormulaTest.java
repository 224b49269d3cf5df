package dev.tokentherm.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.perf.AttentionKernelModel;
import dev.tokentherm.perf.CollectiveModel;
import dev.tokentherm.perf.ElementwiseModel;
import dev.tokentherm.perf.GemmModel;
import dev.tokentherm.perf.KernelTime;
import org.junit.jupiter.api.Test;

/** The model formulas against numbers worked out by hand, with literal parameters (not the shipped ones). */
class KernelFormulaTest {
  private static Sourced s(double v) {
    return new Sourced(v, "test");
  }

  /** An H100 (989 TFLOP/s, 3,350 GB/s) or A100 (312, 2,039) with the given efficiencies. */
  private static GpuProfile gpu(String id, double gemm, double halfTokens, double gemmOverheadUs, double memory,
      double attention, double prefillUs, double diagonal, double decodeUs, double decodeMemory) {
    GpuProfile g = TestProfiles.gpu(id);
    GpuProfile.Efficiency e = new GpuProfile.Efficiency(s(gemm), s(halfTokens), s(gemmOverheadUs), s(memory),
        s(attention), s(prefillUs), s(diagonal), s(decodeUs), s(decodeMemory), s(0.5), s(2));
    return new GpuProfile(g.id(), g.name(), g.hbmMib(), g.hbmGbPerS(), g.bf16Tflops(), g.fp8Tflops(),
        g.powerLimitW(), g.idleW(), g.activeIdleW(), e, g.power(), g.thermal(), g.clock());
  }

  private static final GpuProfile H100 = gpu("h100-sxm", 0.758, 164, 6.8, 0.86, 0.4, 25, 2.4, 18, 0.8);
  private static final GpuProfile A100 = gpu("a100-80gb", 0.758, 164, 6.8, 0.86, 0.4, 25, 2.4, 18, 0.8);

  @Test
  void kernelTimeAddsTheFixedTimeToTheComputeBoundSide() {
    // F = 1e12 FLOPs at 500e12 FLOP/s = 2 ms; B = 1e9 B at 2e12 B/s = 0.5 ms: compute-bound;
    //   t = max(2, 0.5) + 0.010 = 2.010 ms
    assertEquals(2.010e-3, KernelTime.seconds(1e12, 1e9, 500e12, 2e12, 10e-6), 1e-12);
    assertEquals(false, KernelTime.memoryBound(1e12, 1e9, 500e12, 2e12));
  }

  @Test
  void kernelTimeAddsTheFixedTimeToTheMemoryBoundSideToo() {
    // F = 1e9 FLOPs at 500e12 FLOP/s = 2 us; B = 4e9 B at 2e12 B/s = 2 ms: memory-bound;
    //   t = max(0.002, 2) + 0.010 = 2.010 ms (max(compute + fixed, memory) would drop the fixed
    //   time: 2.000 ms)
    assertEquals(2.010e-3, KernelTime.seconds(1e9, 4e9, 500e12, 2e12, 10e-6), 1e-12);
    assertEquals(true, KernelTime.memoryBound(1e9, 4e9, 500e12, 2e12));
    // no FLOPs at an unbounded rate (an element-wise kernel): 1e9 B / 2e12 + 3 us = 0.503 ms
    assertEquals(0.503e-3, KernelTime.seconds(0, 1e9, Double.POSITIVE_INFINITY, 2e12, 3e-6), 1e-12);
  }

  @Test
  void elementwiseKernelsReadAndWriteTheirRows() {
    // Llama-3-8B layer shape (32 q / 8 kv heads of 128, hidden 4096, gated ffn 14336) at TP 2, one
    // token, bf16: norm 2 B * 2 * 4096 = 16,384; RoPE 2 B * 2 * (32 + 8) * 128 / 2 = 10,240;
    //   SiLU*mul 2 B * 3 * 14336 / 2 = 43,008; residual add 2 B * 3 * 4096 = 24,576
    double[] b = new LayerShape(32, 8, 4096, 14336, true).elementwiseBytes(2, 1);
    assertEquals(16_384, b[0]);
    assertEquals(10_240, b[1]);
    assertEquals(16_384, b[2]);
    assertEquals(43_008, b[3]);
    assertEquals(24_576, b[4]);
    // H100 with elementwise 0.5 and 2 us: 1,024 tokens of one norm = 16,777,216 B / (3.35e12 * 0.5)
    //   = 10.016 us + 2 us = 12.016 us; no bytes, no kernel
    assertEquals(12.016e-6, new ElementwiseModel(H100).seconds(16_777_216), 0.001e-6);
    assertEquals(0.0, new ElementwiseModel(H100).seconds(0));
  }

  @Test
  void gemmIsComputeBoundAtManyTokens() {
    // 8192 x 8192 bf16 GEMM over 1,024 tokens on the H100:
    //   F = 2 * 1024 * 8192^2 = 137,438,953,472; eta = 0.758 * 1024 / (1024 + 164) = 0.653360
    //   compute = F / (989e12 * 0.653360) = 212.697 us
    //   B = 8192^2 * 2 + 2 * 1024 * 8192 * 2 = 167,772,160; memory = B / (3.35e12 * 0.86) = 58.234 us
    //   t = 212.697 + 6.8 = 219.497 us
    double t = new GemmModel(H100).seconds(137_438_953_472.0, 167_772_160.0, 1024);
    assertEquals(219.497e-6, t, 0.001e-6);
  }

  @Test
  void gemmIsMemoryBoundAtOneToken() {
    // same GEMM, 1 token: compute = 2 * 8192^2 * (1 + 164) / (989e12 * 0.758) = 29.541 us
    //   B = 8192^2 * 2 + 2 * 8192 * 2 = 134,250,496 -> 46.599 us; t = 46.599 + 6.8 = 53.399 us
    double t = new GemmModel(H100).seconds(2.0 * 8192 * 8192, 134_250_496.0, 1);
    assertEquals(53.399e-6, t, 0.001e-6);
    assertEquals(0.0, new GemmModel(H100).seconds(0, 0, 0));
    // efficiency at T = 164 is half the plateau
    assertEquals(0.379, new GemmModel(H100).efficiency(164), 1e-12);
  }

  @Test
  void prefillAttentionWeighsTheChunksOwnTriangle() {
    // A100, chunk of 1,024 tokens from empty, 32 heads x 128 per GPU:
    //   F = 4 * 1024 * (0 + 512) * 32 * 128 = 8,589,934,592; F_diag = 2 * 1024^2 * 32 * 128 = 8,589,934,592
    //   work = F + (2.4 - 1) * F_diag = 2.4 * F; compute = 2.4 * F / (312e12 * 0.4) = 165.191 us
    //   B = 1024 * 2 * 4 * 128 * 2 + 2 * 1024 * 32 * 128 * 2 = 18.9 MB -> 11.6 us (not binding); t = 25 + 165.191 = 190.191 us
    double bytes = 1024.0 * 2 * 4 * 128 * 2 + 2.0 * 1024 * 32 * 128 * 2;
    double t = new AttentionKernelModel(A100).prefillSeconds(8_589_934_592.0, 8_589_934_592.0, bytes);
    assertEquals(190.191e-6, t, 0.001e-6);
  }

  @Test
  void decodeAttentionReadsTheKv() {
    // A100, 64 sequences of 2,048 tokens, 4 KV heads x 128 per GPU:
    //   B = 64 * (2048 * 2 * 4 * 128 * 2 + 2 * 32 * 128 * 2) = 269,484,032 -> / (2039e9 * 0.8) = 165.206 us
    //   F = 4 * 64 * 2048 * 32 * 128 -> 17.2 us (not binding); t = 18 + 165.206 = 183.206 us
    double t = new AttentionKernelModel(A100).decodeSeconds(4.0 * 64 * 2048 * 32 * 128, 269_484_032.0);
    assertEquals(183.206e-6, t, 0.001e-6);
  }

  @Test
  void collectiveTakesTheFasterProtocol() {
    // t = min(30 us + s / 200 GB/s, 5 us + s / 2 GB/s)
    //   4 KiB: min(30.020, 7.048) = 7.048 us;  64 MiB: min(365.544, 33,559) = 365.544 us
    NodeProfile.CollectiveFit fit = new NodeProfile.CollectiveFit(8, s(30), s(200), s(5), s(2));
    CollectiveModel model = new CollectiveModel(fit);
    assertEquals(7.048e-6, model.seconds(4096), 0.001e-6);
    assertEquals(365.544e-6, model.seconds(1 << 26), 0.001e-6);
    assertEquals(0.0, CollectiveModel.NONE.seconds(1 << 20));
    // one regime: 30 us + 1 MiB / 200 GB/s = 35.243 us
    NodeProfile.CollectiveFit single = new NodeProfile.CollectiveFit(8, s(30), s(200), null, null);
    assertEquals(35.243e-6, new CollectiveModel(single).seconds(1 << 20), 0.001e-6);
  }
}
