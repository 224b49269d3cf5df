package dev.tokentherm.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.perf.CollectiveModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link VidurFit} reproduces the shipped {@code fitted:} numbers of the GPU and node profiles
 * from the Vidur tables: each kernel number within a few per cent of the profile's (which are
 * rounded; collectives: the same regimes, each number within 5 %), and every fit at least as good on
 * the data as the profile by the calibration targets (share within 20 %, or 20 % or 15 µs). Full
 * fits, no subsampling: all of them together take about 3 s.
 */
class VidurFitTest {
  private static final Path COMPUTE = Path.of("data/profiles/vidur_compute");
  private static final Path NETWORK = Path.of("data/traces/vidur_network_profiles");

  @ParameterizedTest
  @CsvSource({"h100, h100-sxm", "a100, a100-80gb"})
  void linearFitLandsOnTheProfile(String prefix, String gpuId) {
    GpuProfile gpu = TestProfiles.gpu(gpuId);
    List<LinearLayerPoint> points = VidurCompute.readLinearLayers(COMPUTE, prefix);
    VidurFit.LinearFit fit = VidurFit.fitLinear(gpu, points, 2);
    System.out.print(fit.report());
    GpuProfile.Efficiency e = gpu.efficiency();
    assertClose(e.gemm().value(), fit.gemm(), 0.02, "gemm", fit.report());
    assertClose(e.gemmHalfTokens().value(), fit.halfTokens(), 0.05, "gemm_half_tokens", fit.report());
    assertClose(e.gemmOverheadUs().value(), fit.overheadUs(), 0.05, "gemm_overhead_us", fit.report());
    CalibrationReport shipped = Calibrations.linearOperators(gpuId, gpu, points);
    assertTrue(fit.check().shareWithin() >= shipped.shareWithin() - 0.005, fit.report());
  }

  @Test
  void attentionFitLandsOnTheA100Profile() {
    GpuProfile gpu = TestProfiles.gpu("a100-80gb");
    List<AttentionPoint> points = VidurAttention.read(COMPUTE.resolve("a100_attention_n8192_q64_kv8_tp2.csv"));
    VidurFit.AttentionFit fit = VidurFit.fitAttention(gpu, points, 2);
    System.out.print(fit.report());
    GpuProfile.Efficiency e = gpu.efficiency();
    assertClose(e.attention().value(), fit.attention(), 0.03, "attention", fit.report());
    assertClose(e.attentionPrefillOverheadUs().value(), fit.prefillOverheadUs(), 0.05, "prefill overhead", fit.report());
    assertClose(e.attentionDiagonalFactor().value(), fit.diagonalFactor(), 0.05, "diagonal factor", fit.report());
    assertClose(e.attentionDecodeOverheadUs().value(), fit.decodeOverheadUs(), 0.05, "decode overhead", fit.report());
    assertClose(e.attentionDecodeMemory().value(), fit.decodeMemory(), 0.03, "decode memory", fit.report());
    assertTrue(fit.prefillCheck().shareWithin()
        >= Calibrations.prefillAttention("", gpu, points).shareWithin() - 0.005, fit.report());
    assertTrue(fit.decodeCheck().shareWithin() >= Calibrations.decodeAttention("", gpu, points,
        Calibrations.DECODE_MIN_MEASURED_S).shareWithin() - 0.005, fit.report());
  }

  /** Bins within 20 % or 15 µs: the fit reaches at least the profile's count (the objective counts them). */
  @ParameterizedTest
  @CsvSource({"dgx-h100, h100", "dgx-a100, a100"})
  void networkFitReachesTheProfilesBins(String nodeId, String prefix) {
    NodeProfile node = TestProfiles.node(nodeId);
    VidurFit.NetworkFit fit = VidurFit.fitNetwork(node, NETWORK, prefix);
    System.out.print(fit.report());
    List<CollectivePoint> allReduce = VidurNetwork.read(NETWORK.resolve(prefix + "_dgx_all_reduce.csv"));
    for (VidurFit.CollectiveFitResult r : fit.allReduce()) {
      int gpus = r.fit().gpus();
      List<CollectiveBin> bins = VidurFit.bins(VidurNetwork.singleNode(allReduce, gpus));
      assertEquals(15, bins.size());
      CalibrationReport shipped = Calibrations.collective("", CollectiveModel.allReduce(node, gpus), bins);
      assertTrue(r.check().shareWithin() >= shipped.shareWithin(), fit.report());
      assertSameFit(lookup(node.scaleUp().allReduce(), gpus), r.fit(), fit.report());
    }
    List<CollectiveBin> sendRecv = VidurFit.bins(
        VidurNetwork.singleNode(VidurNetwork.read(NETWORK.resolve(prefix + "_dgx_send_recv.csv")), 2));
    CalibrationReport shipped = Calibrations.collective("", CollectiveModel.sendRecv(node), sendRecv);
    assertTrue(fit.sendRecv().check().shareWithin() >= shipped.shareWithin(), fit.report());
    assertSameFit(lookup(node.scaleUp().sendRecv(), 2), fit.sendRecv().fit(), fit.report());
  }

  /** Same regimes as the profile, each number within 5 % (the profile's are rounded to 0.1 µs, 0.1 GB/s). */
  private static void assertSameFit(NodeProfile.CollectiveFit shipped, NodeProfile.CollectiveFit fitted, String report) {
    String what = "collective " + fitted.gpus() + " GPUs ";
    assertClose(shipped.latencyUs().value(), fitted.latencyUs().value(), 0.05, what + "latency_us", report);
    assertClose(shipped.gbPerS().value(), fitted.gbPerS().value(), 0.05, what + "gb_per_s", report);
    assertEquals(shipped.smallLatencyUs() == null, fitted.smallLatencyUs() == null, what + "regimes\n" + report);
    if (shipped.smallLatencyUs() != null) {
      assertClose(shipped.smallLatencyUs().value(), fitted.smallLatencyUs().value(), 0.05, what + "small_latency_us", report);
      assertClose(shipped.smallGbPerS().value(), fitted.smallGbPerS().value(), 0.05, what + "small_gb_per_s", report);
    }
  }

  private static NodeProfile.CollectiveFit lookup(List<NodeProfile.CollectiveFit> fits, int gpus) {
    for (NodeProfile.CollectiveFit f : fits) {
      if (f.gpus() == gpus) {
        return f;
      }
    }
    throw new AssertionError("no shipped entry for " + gpus + " GPUs");
  }

  private static void assertClose(double expected, double actual, double relative, String what, String report) {
    assertTrue(Math.abs(actual / expected - 1) <= relative,
        what + ": fitted " + actual + ", profile " + expected + " (allowed " + relative * 100 + " %)\n" + report);
  }
}
