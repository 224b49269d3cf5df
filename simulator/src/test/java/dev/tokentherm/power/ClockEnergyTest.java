package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A lower fixed SM clock for memory-bound decode: time does not grow while every operator stays
 * memory-bound (the HBM side binds, the GEMMs' under-fill part is not clock-bound, and the kernels'
 * fixed times above the launch go at the pace of their memory-bound bodies), power falls with clock
 * and voltage, so energy per token falls by more than time rises. Direction of a published H100
 * measurement: 1,770 -> 1,035 MHz gave -11.6 % energy for +1.3 % time. The model's figures are
 * printed, not tuned to it (no constant was set from it).
 */
class ClockEnergyTest {
  private static final GpuProfile H100 = TestProfiles.gpu("h100-sxm");

  /** Seconds and joules per GPU of one decode iteration of {@code batch} sequences at context 1,024. */
  private static double[] decodeIteration(int batch, double clockFactor) {
    Architecture arch = new Architecture(TestProfiles.model("llama-3.1-8b"), null, Dtype.BF16, 1, 1, 1);
    Roofline r = new Roofline(arch, H100, TestProfiles.node("dgx-h100"), TestProfiles.stack("vllm-v1"), Dtype.BF16,
        Dtype.BF16, false);
    BatchWork w = new BatchWork();
    w.decodeSeqs = batch;
    w.decodeUnits[0] = 1024L * batch;
    w.samplingSeqs = batch;
    IterationCost c = new IterationCost();
    r.cost(w, clockFactor, c);
    double t = c.totalS();
    return new double[] {t, StagePower.of(H100).watts(c.activity, 0, t) * t};
  }

  private static void print(int batch, double fromMhz, double toMhz, double[] a, double[] b) {
    System.out.printf(Locale.ROOT, "H100 Llama-3.1-8B decode batch %d at context 1,024, %.0f -> %.0f MHz: time %+.1f %%,"
        + " energy per token %+.1f %%%n", batch, fromMhz, toMhz, 100 * (b[0] / a[0] - 1), 100 * (b[1] / a[1] - 1));
  }

  // A GEMM's compute side at clock k: plateau F / 749.662e12 / k + under-fill F / 749.662e12 · 164 / T
  // (perf.GemmModel), the under-fill 2 · 6,979,321,856 · 164 / 749.662e12 = 3.053666 ms for the
  // linear layers and 2 · 525,336,576 · 164 / 749.662e12 = 0.229851 ms for the LM head at any T;
  // memory side (13,958,643,712 + T · 4,456,448) B / 2.881e12 and 1,050,673,152 B / 2.881e12 = 0.364690 ms:
  //   batch 8: linear plateau 0.148959 ms against 4.857444 − 3.053666 ms: crossover k* = 0.0826;
  //     LM head 0.011212 against 0.364690 − 0.229851 ms: k* = 0.0832;
  //   batch 16: linear 0.297919 against 4.869818 − 3.053666 ms: k* = 0.1640; LM head k* = 0.1663;
  //   batch 64: linear 1.191675 against 4.944067 − 3.053666 ms: k* = 0.6304;
  //   batch 256: linear 4.766699 ms plateau alone is above 5.241060 − 3.053666 ms: compute-bound at any k.
  // Decode attention at context 1,024, per sequence: 1.262 µs of FLOPs at the boost clock against
  // 134,348,800 B / 2.9145e12 = 46.097 µs of KV, memory-bound above k = 0.027. Element-wise kernels: bytes and a launch-only fixed time.

  @Test
  void aLowerClockSavesEnergyAndNoTimeInMemoryBoundDecode() {
    // 1,770 -> 1,500 MHz (k 0.894 -> 0.758) at batch 8 and 16, every operator memory-bound at both
    // clocks (crossovers above): every kernel's time, its fixed time included (pace 1), and the CPU's
    // are as they were; the SM-active and tensor watts fall with k · V², memory watts do not.
    double ref = H100.clock().maxMhz().value();
    for (int batch : new int[] {8, 16}) {
      double[] a = decodeIteration(batch, 1770 / ref);
      double[] b = decodeIteration(batch, 1500 / ref);
      print(batch, 1770, 1500, a, b);
      double time = b[0] / a[0] - 1;
      double energy = b[1] / a[1] - 1;
      assertThat(time).isCloseTo(0, within(1e-12));
      assertThat(energy).isNegative();
      assertThat(-energy).isGreaterThan(time);
    }
  }

  @Test
  void thePublishedCaseHasItsDirectionNotItsFigure() {
    // 1,770 -> 1,035 MHz (measured on an H100, another setup: time +1.3 %, energy -11.6 %). At
    // 1,035 MHz (k = 0.523) batch-8 decode is still memory-bound (crossovers 0.083): time as at
    // 1,770 MHz, energy per token lower. Batch 64 (k* 0.630) and 256 (compute-bound) run their
    // linear layers compute-bound at k = 0.523, so time rises there; their energy is printed.
    double ref = H100.clock().maxMhz().value();
    double[] a = decodeIteration(8, 1770 / ref);
    double[] b = decodeIteration(8, 1035 / ref);
    print(8, 1770, 1035, a, b);
    double time = b[0] / a[0] - 1;
    double energy = b[1] / a[1] - 1;
    assertThat(time).isCloseTo(0, within(1e-12));
    assertThat(energy).isNegative();
    assertThat(-energy).isGreaterThan(time);
    for (int batch : new int[] {64, 256}) {
      double[] c = decodeIteration(batch, 1770 / ref);
      double[] d = decodeIteration(batch, 1035 / ref);
      print(batch, 1770, 1035, c, d);
      assertThat(d[0]).isGreaterThan(c[0]);
    }
  }
}
