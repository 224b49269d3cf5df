package dev.tokentherm.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import org.junit.jupiter.api.Test;

/**
 * The GEMM model at a lowered SM clock, by hand from the H100 profile: plateau 989e12 · 0.758 =
 * 749.662e12 FLOP/s, T½ = 164 tokens, weights and activations at 3,350e9 · 0.86 = 2.881e12 B/s.
 * At clock factor k the compute side is F / (peak · gemm) / k (plateau, clock-bound) +
 * F / (peak · gemm) · T½ / T (under-fill, not clock-bound).
 */
class GemmModelTest {
  private static final GemmModel H100 = new GemmModel(TestProfiles.gpu("h100-sxm"));

  @Test
  void atSmallBatchOnlyThePlateauPartStretchesWithTheClock() {
    // one 4,096 × 4,096 weight, T = 8 tokens: F = 2 · 4,096 · 4,096 · 8 = 268,435,456 FLOPs
    //   plateau part   F / 749.662e12            = 0.358075 µs
    //   under-fill     0.358075 µs · 164 / 8      = 7.340544 µs
    //   k = 1:   0.358075 + 7.340544               = 7.698619 µs (the fitted F · 172 / (749.662e12 · 8))
    //   k = 0.5: 2 · 0.358075 + 7.340544           = 8.056695 µs (all of it × 2 would be 15.397238 µs)
    //   the rate at k = 0.5: 749.662e12 · 0.5 · 8 / (8 + 0.5 · 164) = 33.318311e12 FLOP/s
    // memory side (2 · 4,096 · 4,096 + 2 · 8 · (4,096 + 4,096)) B = 33,685,504 B / 2.881e12 = 11.692296 µs:
    // memory-bound at both clocks, so the kernel takes as long at half clock (its fixed time aside).
    double flops = 268_435_456;
    assertThat(H100.computeS(flops, 8) * 1e6).isCloseTo(7.698619, within(1e-6));
    assertThat(H100.computeS(flops, 8, 0.5) * 1e6).isCloseTo(8.056695, within(1e-6));
    assertThat(H100.flopsPerS(8, 0.5) / 1e12).isCloseTo(33.318311, within(1e-6));
    assertThat(flops / H100.flopsPerS(8, 0.5) * 1e6).isCloseTo(8.056695, within(1e-6));
    double bytes = 33_685_504;
    assertThat(H100.memoryS(bytes) * 1e6).isCloseTo(11.692296, within(1e-6));
    assertThat(KernelTime.memoryBound(flops, bytes, H100.flopsPerS(8, 0.5), H100.bytesPerS())).isTrue();
  }

  @Test
  void atLargeBatchHalfClockNearlyDoublesTheComputeSide() {
    // T = 4,096: t(0.5) / t(1) = (2 · 4,096 + 164) / (4,096 + 164) = 8,356 / 4,260 = 1.961502
    double flops = 2.0 * 4096 * 4096 * 4096;
    assertThat(H100.computeS(flops, 4096, 0.5) / H100.computeS(flops, 4096)).isCloseTo(1.961502, within(1e-6));
  }

  @Test
  void theReferenceClockGivesTheFittedNumbersBitForBit() {
    for (double tokens : new double[] {1, 8, 163, 164, 2048, 65536}) {
      assertThat(H100.flopsPerS(tokens, 1.0)).isEqualTo(H100.flopsPerS(tokens));
      assertThat(H100.computeS(1e12, tokens, 1.0)).isEqualTo(H100.computeS(1e12, tokens));
    }
    assertThat(H100.computeS(1e12, 0, 0.5)).isZero();
  }
}
