package dev.tokentherm.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokentherm.TestProfiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped GEMM curves against every point of every Vidur mlp file of a GPU (issue target: ≥ 90 % within 20 %). */
class LinearOperatorCalibrationTest {
  static final Path VIDUR = Path.of("data/profiles/vidur_compute");

  @ParameterizedTest
  @CsvSource({"h100, h100-sxm", "a100, a100-80gb"})
  void linearOperatorTimeWithin20PercentOn90PercentOfPoints(String prefix, String gpuId) {
    List<LinearLayerPoint> points = VidurCompute.readLinearLayers(VIDUR, prefix);
    CalibrationReport all = Calibrations.linearOperators(gpuId + " linear operators (Vidur " + prefix + ")",
        TestProfiles.gpu(gpuId), points);
    StringBuilder out = new StringBuilder(all.format());
    for (String source : sources(points)) {
      List<LinearLayerPoint> some = new ArrayList<>();
      for (LinearLayerPoint p : points) {
        if (p.source().equals(source)) {
          some.add(p);
        }
      }
      CalibrationReport r = Calibrations.linearOperators(source, TestProfiles.gpu(gpuId), some);
      out.append(String.format(Locale.ROOT, "  %-36s %5d rows  %5.1f %% within 20 %%  MAPE %4.1f %%%n",
          source, r.rows().size(), r.shareWithin() * 100, r.mape() * 100));
    }
    System.out.println(out);
    assertTrue(all.shareWithin() >= 0.90, all.format());
  }

  private static List<String> sources(List<LinearLayerPoint> points) {
    List<String> sources = new ArrayList<>();
    for (LinearLayerPoint p : points) {
      if (!sources.contains(p.source())) {
        sources.add(p.source());
      }
    }
    return sources;
  }
}
