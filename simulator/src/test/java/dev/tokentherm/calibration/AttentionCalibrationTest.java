package dev.tokentherm.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokentherm.TestProfiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped A100 attention-kernel numbers against the Vidur attention profile (issue target: ≥ 90 % within 20 %). */
class AttentionCalibrationTest {
  private static final List<AttentionPoint> POINTS =
      VidurAttention.read(Path.of("data/profiles/vidur_compute/a100_attention_n8192_q64_kv8_tp2.csv"));

  @Test
  void prefillWithin20PercentOn90PercentOfRows() {
    CalibrationReport r = Calibrations.prefillAttention("a100-80gb prefill attention", TestProfiles.gpu("a100-80gb"), POINTS);
    System.out.println(r.format());
    assertTrue(r.rows().size() > 4000, "all prefill rows");
    assertTrue(r.shareWithin() >= 0.90, r.format());
  }

  @Test
  void decodeWithin20PercentOn90PercentOfRowsOf20usAndMore() {
    CalibrationReport r = Calibrations.decodeAttention("a100-80gb decode attention (rows >= 20 us)",
        TestProfiles.gpu("a100-80gb"), POINTS, Calibrations.DECODE_MIN_MEASURED_S);
    System.out.println(r.format());
    assertTrue(r.rows().size() > 9000, "decode rows of 20 us and more");
    assertTrue(r.shareWithin() >= 0.90, r.format());
  }
}
