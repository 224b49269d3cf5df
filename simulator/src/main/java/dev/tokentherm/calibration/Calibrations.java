package dev.tokentherm.calibration;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.perf.AttentionKernelModel;
import dev.tokentherm.perf.CollectiveModel;
import dev.tokentherm.perf.ElementwiseModel;
import dev.tokentherm.perf.GemmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Compares the kernel and collective models of a profile with the measured tables. */
public final class Calibrations {
  /** The targets: 20 %, and for collectives 20 % or 15 µs (small messages are noisy). */
  public static final double RELATIVE_TOLERANCE = 0.20;
  public static final double COLLECTIVE_ABSOLUTE_TOLERANCE_S = 15e-6;
  /** Decode rows below this are launch noise; the target counts rows of 20 µs and more. */
  public static final double DECODE_MIN_MEASURED_S = 20e-6;

  private Calibrations() {}

  /** Per-layer linear-operator time: the sum of the GemmModel over the layer's four GEMMs. */
  public static CalibrationReport linearOperators(String title, GpuProfile gpu, List<LinearLayerPoint> points) {
    GemmModel gemm = new GemmModel(gpu);
    List<CalibrationReport.Row> rows = new ArrayList<>(points.size());
    for (LinearLayerPoint p : points) {
      double predicted = 0;
      for (double[] g : p.shape().gemmsPerShard(p.tp())) {
        predicted += gemm.seconds(LayerShape.flops(g, p.tokens()), LayerShape.bytes(g, p.tokens()), p.tokens());
      }
      rows.add(new CalibrationReport.Row(p.label(), p.linearSeconds(), predicted));
    }
    return new CalibrationReport(title, RELATIVE_TOLERANCE, 0, rows);
  }

  /**
   * Per-layer element-wise time: the sum of the ElementwiseModel over the layer's five kernels
   * (input_layernorm, attn_rope, post_attention_layernorm, mlp_act, add).
   */
  public static CalibrationReport elementwise(String title, GpuProfile gpu, List<LinearLayerPoint> points) {
    ElementwiseModel model = new ElementwiseModel(gpu);
    List<CalibrationReport.Row> rows = new ArrayList<>(points.size());
    for (LinearLayerPoint p : points) {
      double predicted = 0;
      for (double b : p.shape().elementwiseBytes(p.tp(), p.tokens())) {
        predicted += model.seconds(b);
      }
      rows.add(new CalibrationReport.Row(p.label(), p.elementwiseSeconds(), predicted));
    }
    return new CalibrationReport(title, RELATIVE_TOLERANCE, 0, rows);
  }

  public static CalibrationReport prefillAttention(String title, GpuProfile gpu, List<AttentionPoint> points) {
    AttentionKernelModel model = new AttentionKernelModel(gpu);
    List<CalibrationReport.Row> rows = new ArrayList<>();
    for (AttentionPoint p : points) {
      if (p.prefill()) {
        rows.add(new CalibrationReport.Row(p.label(), p.measuredSeconds(),
            model.prefillSeconds(p.flops(), p.diagonalFlops(), p.bytes())));
      }
    }
    return new CalibrationReport(title, RELATIVE_TOLERANCE, 0, rows);
  }

  /** Decode rows measured at {@code minMeasuredS} or more. */
  public static CalibrationReport decodeAttention(String title, GpuProfile gpu, List<AttentionPoint> points,
      double minMeasuredS) {
    AttentionKernelModel model = new AttentionKernelModel(gpu);
    List<CalibrationReport.Row> rows = new ArrayList<>();
    for (AttentionPoint p : points) {
      if (!p.prefill() && p.measuredSeconds() >= minMeasuredS) {
        rows.add(new CalibrationReport.Row(p.label(), p.measuredSeconds(), model.decodeSeconds(p.flops(), p.bytes())));
      }
    }
    return new CalibrationReport(title, RELATIVE_TOLERANCE, 0, rows);
  }

  /** One row per size bin: the model at the bin's median size against the bin's median time. */
  public static CalibrationReport collective(String title, CollectiveModel model, List<CollectiveBin> bins) {
    List<CalibrationReport.Row> rows = new ArrayList<>(bins.size());
    for (CollectiveBin b : bins) {
      rows.add(new CalibrationReport.Row(String.format(Locale.ROOT, "%d KiB bin (%d pts)", b.lowBytes() / 1024, b.points()),
          b.medianSeconds(), model.seconds(b.medianBytes())));
    }
    return new CalibrationReport(title, RELATIVE_TOLERANCE, COLLECTIVE_ABSOLUTE_TOLERANCE_S, rows);
  }
}
