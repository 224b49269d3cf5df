package dev.tokentherm.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the power model against ML.ENERGY v3, held out by model. The bounds are the issue's
 * targets (median |error| ≤ 8 % on W per GPU and no larger than the log-batch baseline; ≤ 10 % on median ITL).
 */
class PowerCalibrationTest {
  static final List<EnergyRow> ROWS = EnergyRow.read(Path.of("data/profiles/ml_energy_v3/gpqa.json"));

  @Test
  void powerIsPerGpuAndTheTargetsAreTheThirteenH100DenseRows() throws Exception {
    EnergyRow qwen8b = ROWS.stream().filter(r -> r.modelId().equals("Qwen/Qwen3-8B") && r.gpu().equals("H100")
        && r.batch() < 9).findFirst().orElseThrow();
    // the file's 493.7 W for the one GPU; Qwen3-32B TP2 at batch 8: 954.4 W over 2 GPUs
    assertThat(qwen8b.wattsPerGpu()).isCloseTo(493.7, within(0.1));
    List<PowerCalibration.Point> points = new PowerCalibration(TestProfiles.LIBRARY).points(ROWS, 1.0);
    assertThat(points).hasSize(13);
    assertThat(points).extracting(p -> p.row().modelId()).containsOnly("Qwen/Qwen3-8B", "Qwen/Qwen3-14B", "Qwen/Qwen3-32B");
    assertThat(points).allSatisfy(p -> assertThat(p.row().gpu()).isEqualTo("H100"));
    // context = 250 + avg_output_len / 2: Qwen3-8B batch 8 has avg_output_len 7,854 → 4,177 tokens
    assertThat(points).anySatisfy(p -> assertThat(p.contextTokens()).isCloseTo(250 + 7854.0 / 2, within(1.0)));
  }

  @Test
  void heldOutErrorsMeetTheTargetsAndBeatTheBaseline() throws Exception {
    PowerCalibration.HeldOut h = new PowerCalibration(TestProfiles.LIBRARY).heldOut(ROWS, 1.0);
    assertThat(h.points()).hasSize(13);
    assertThat(h.wMedian()).isLessThanOrEqualTo(PowerCalibration.W_TARGET);
    assertThat(h.wMedian()).isLessThanOrEqualTo(h.baselineMedian());
    assertThat(h.itlMedian()).isLessThanOrEqualTo(PowerCalibration.ITL_TARGET);
  }

  @Test
  void theProfileHoldsTheFitOnAllRows() throws Exception {
    PowerCalibration c = new PowerCalibration(TestProfiles.LIBRARY);
    PowerCalibration.Coeffs k = c.fit(c.points(ROWS, 1.0));
    GpuProfile.Power p = TestProfiles.gpu("h100-sxm").power();
    assertThat(p.smActiveW().value()).isCloseTo(k.smActiveW(), within(1.0));
    assertThat(p.memoryW().value()).isCloseTo(k.memoryW(), within(1.0));
    assertThat(p.tensorW().value()).isCloseTo(k.tensorW(), within(1.0));
    // tensor_w's rule: compute-bound prefill at the GEMM plateau reaches the limit
    assertThat(120 + k.smActiveW() + k.tensorW() * 0.758).isCloseTo(700, within(1e-6));
  }

  @Test
  void theLogBatchBaselineIsALeastSquaresLine() {
    // three points on W = 400 + 50 · log2(b): b = 2, 8, 32 → 450, 550, 650
    List<PowerCalibration.Point> pts = List.of(point(2, 450), point(8, 550), point(32, 650));
    double[] ab = PowerCalibration.logBatchFit(pts);
    assertThat(ab[0]).isCloseTo(400, within(1e-9));
    assertThat(ab[1]).isCloseTo(50, within(1e-9));
  }

  private static PowerCalibration.Point point(double batch, double watts) {
    EnergyRow r = new EnergyRow("gpqa", 1, "m", "bfloat16", "Dense Transformer", "H100", 1, 1, 1, batch, 100, watts,
        10, 100, 1);
    return new PowerCalibration.Point(r, 100, 0.01, 0.01, 0.5, 0.5, 0.01);
  }
}
