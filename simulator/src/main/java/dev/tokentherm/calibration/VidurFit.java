package dev.tokentherm.calibration;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.perf.CollectiveModel;
import dev.tokentherm.perf.KernelTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Fits the GPU kernel models and the node collective models to the Vidur tables, the way the GPU
 * and node profiles' {@code fitted:} numbers were first derived (a scipy Nelder-Mead script, not
 * kept): same data, same model, same objective.
 *
 * <ul>
 *   <li><b>Linear operators</b> ({@link #fitLinear}): every point of every {@code <gpu>_*_mlp.csv};
 *       the per-layer sum of the four GEMMs of {@code perf.GemmModel} against the sum of their
 *       medians; three numbers (plateau {@code gemm}, {@code gemm_half_tokens},
 *       {@code gemm_overhead_us}), the memory efficiency held at the profile's measured value.
 *       Objective: mean of sqrt(e² + 0.05²), e = ln(predicted / measured) (a smoothed mean
 *       |log error|, robust to the few outlying rows).</li>
 *   <li><b>Attention</b> ({@link #fitAttention}): the A100 FlashAttention table; prefill rows
 *       (every one) fit {@code attention}, {@code attention_prefill_overhead_us},
 *       {@code attention_diagonal_factor}; decode rows of 20 µs and more fit
 *       {@code attention_decode_overhead_us}, {@code attention_decode_memory}. Same objective, on
 *       {@code perf.AttentionKernelModel}'s formulas (prefill first, with the profile's decode
 *       memory; decode then with the fitted attention efficiency: neither side binds the other).</li>
 *   <li><b>Collectives</b> ({@link #fitCollective}): one bin per power of two 2 KiB–64 MiB of the
 *       single-node rows; {@code min(latency + s/gb_per_s, small_latency + s/small_gb_per_s)}.
 *       Objective: − (bins within 20 % or 15 µs) + 0.1 · mean sqrt(e² + 0.1²), from four starting
 *       points, the best kept. One regime (no small_*) is kept when the second line improves the
 *       objective by no more than 1e-4.</li>
 * </ul>
 *
 * <p>Run with {@code tokentherm calibrate vidur-linear-fit | vidur-attention-fit |
 * vidur-network-fit} (the core never prints; the CLI prints {@code report()}); copy the numbers into
 * the profiles.
 */
public final class VidurFit {
  /** Returned for parameters outside the model's domain (any ≤ 0), as the original script did. */
  static final double OUT_OF_DOMAIN = 1e9;
  /** Smoothing of |log error| in the kernel objectives, and in the collective tie-breaker. */
  static final double KERNEL_SMOOTHING = 0.05;
  static final double COLLECTIVE_SMOOTHING = 0.1;
  static final double COLLECTIVE_TIE_WEIGHT = 0.1;
  /** A second regime must lower the collective objective by more than this to be kept. */
  static final double ONE_REGIME_SLACK = 1e-4;
  /** Bins of the collective fits: 2 KiB to 64 MiB. */
  public static final long MIN_BIN_BYTES = 2048;
  public static final long MAX_BIN_BYTES = 64L << 20;

  private VidurFit() {}

  // ---------------------------------------------------------------- linear operators

  /** The GEMM curve of one GPU: plateau, T½, fixed time; memory as held; objective reached; check against the data. */
  public record LinearFit(String gpu, double gemm, double halfTokens, double overheadUs, double memory,
      double loss, CalibrationReport check, String report) {}

  /**
   * Fits the GEMM curve of {@code gpu} to {@code points} (memory efficiency, peaks kept).
   * {@code restarts} ≥ 1 Nelder-Mead runs, each from the best point so far.
   */
  public static LinearFit fitLinear(GpuProfile gpu, List<LinearLayerPoint> points, int restarts) {
    int n = points.size();
    double[][] flops = new double[n][];
    double[][] bytes = new double[n][];
    double[] tokens = new double[n];
    double[] measured = new double[n];
    for (int i = 0; i < n; i++) {
      LinearLayerPoint p = points.get(i);
      double[][] gemms = p.shape().gemmsPerShard(p.tp());
      flops[i] = new double[gemms.length];
      bytes[i] = new double[gemms.length];
      for (int g = 0; g < gemms.length; g++) {
        flops[i][g] = LayerShape.flops(gemms[g], p.tokens());
        bytes[i][g] = LayerShape.bytes(gemms[g], p.tokens());
      }
      tokens[i] = p.tokens();
      measured[i] = p.linearSeconds();
    }
    double peak = gpu.bf16Tflops().value() * 1e12;
    double memory = gpu.efficiency().memory().value();
    double bandwidth = gpu.hbmGbPerS().value() * 1e9 * memory;
    // x = {gemm, T½, overhead µs}: GemmModel.seconds summed over the layer's four GEMMs
    ToDoubleFunction<double[]> loss = x -> {
      if (x[0] <= 0 || x[1] <= 0 || x[2] <= 0) {
        return OUT_OF_DOMAIN;
      }
      double plateau = peak * x[0];
      double overhead = x[2] * 1e-6;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double t = tokens[i];
        double predicted = 0;
        for (int g = 0; g < flops[i].length; g++) {
          predicted += KernelTime.seconds(flops[i][g], bytes[i][g], plateau * t / (t + x[1]), bandwidth, overhead);
        }
        sum += smoothedLogError(predicted, measured[i], KERNEL_SMOOTHING);
      }
      return sum / n;
    };
    PointValuePair best = minimise(loss, new double[] {0.75, 100, 6}, restarts, 20000);
    double[] x = best.getPoint();
    GpuProfile fitted = withGemm(gpu, x[0], x[1], x[2]);
    CalibrationReport check = Calibrations.linearOperators(gpu.id() + " linear operators, fitted", fitted, points);
    CalibrationReport shipped = Calibrations.linearOperators(gpu.id() + " linear operators, profile", gpu, points);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s GEMM curve: %d layer points, memory held at %.3f, objective %.5f%n",
        gpu.id(), n, memory, best.getValue()));
    out.append(String.format(Locale.ROOT, "  %-18s %10s %10s%n", "", "fitted", "profile"));
    GpuProfile.Efficiency e = gpu.efficiency();
    out.append(row("gemm", x[0], e.gemm().value(), "%10.4f"));
    out.append(row("gemm_half_tokens", x[1], e.gemmHalfTokens().value(), "%10.1f"));
    out.append(row("gemm_overhead_us", x[2], e.gemmOverheadUs().value(), "%10.2f"));
    out.append(check.summaryLine()).append(System.lineSeparator());
    out.append(shipped.summaryLine()).append(System.lineSeparator());
    return new LinearFit(gpu.id(), x[0], x[1], x[2], memory, best.getValue(), check, out.toString());
  }

  /** A copy of {@code gpu} with the GEMM curve replaced. */
  public static GpuProfile withGemm(GpuProfile gpu, double gemm, double halfTokens, double overheadUs) {
    GpuProfile.Efficiency e = gpu.efficiency();
    return withEfficiency(gpu, new GpuProfile.Efficiency(fitted(gemm), fitted(halfTokens), fitted(overheadUs),
        e.memory(), e.attention(), e.attentionPrefillOverheadUs(), e.attentionDiagonalFactor(),
        e.attentionDecodeOverheadUs(), e.attentionDecodeMemory(), e.elementwiseMemory(), e.elementwiseOverheadUs()));
  }

  // ---------------------------------------------------------------- element-wise operators

  /** Files whose rows fit the element-wise numbers (name contains this); the other files' rows are held out. */
  public static final String ELEMENTWISE_FIT_MODELS = "Llama-2-";

  /** The element-wise numbers of one GPU, the objective reached, checks on the fit and held-out rows. */
  public record ElementwiseFit(String gpu, double memory, double overheadUs, double loss,
      CalibrationReport fitCheck, CalibrationReport heldOutCheck, String report) {}

  /** Rows of {@code points} from the fit files ({@code fit} true) or from the held-out ones. */
  public static List<LinearLayerPoint> elementwiseSplit(List<LinearLayerPoint> points, boolean fit) {
    List<LinearLayerPoint> some = new ArrayList<>();
    for (LinearLayerPoint p : points) {
      if (p.source().contains(ELEMENTWISE_FIT_MODELS) == fit) {
        some.add(p);
      }
    }
    return some;
  }

  /**
   * Fits {@code elementwise_memory} and {@code elementwise_overhead_us} of {@code gpu} to the rows
   * of the Llama-2 files among {@code points} (the per-layer sum of the medians of
   * input_layernorm, attn_rope, post_attention_layernorm, mlp_act and add against the sum of
   * {@code perf.ElementwiseModel} over the five kernels) and checks them on the rows of the other
   * files (other models: CodeLlama-34B, Llama-3), which the fit never sees. Same objective as the
   * linear fit.
   */
  public static ElementwiseFit fitElementwise(GpuProfile gpu, List<LinearLayerPoint> points, int restarts) {
    List<LinearLayerPoint> fitRows = elementwiseSplit(points, true);
    List<LinearLayerPoint> heldOut = elementwiseSplit(points, false);
    if (fitRows.isEmpty() || heldOut.isEmpty()) {
      throw new IllegalArgumentException(gpu.id() + ": the element-wise fit needs rows of " + ELEMENTWISE_FIT_MODELS
          + " files and of others (" + fitRows.size() + " and " + heldOut.size() + ")");
    }
    int n = fitRows.size();
    double[][] bytes = new double[n][];
    double[] measured = new double[n];
    for (int i = 0; i < n; i++) {
      LinearLayerPoint p = fitRows.get(i);
      bytes[i] = p.shape().elementwiseBytes(p.tp(), p.tokens());
      measured[i] = p.elementwiseSeconds();
    }
    double hbm = gpu.hbmGbPerS().value() * 1e9;
    // x = {memory, overhead µs}: ElementwiseModel.seconds summed over the layer's five kernels
    ToDoubleFunction<double[]> loss = x -> {
      if (x[0] <= 0 || x[1] <= 0) {
        return OUT_OF_DOMAIN;
      }
      double bandwidth = hbm * x[0];
      double overhead = x[1] * 1e-6;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double predicted = 0;
        for (double b : bytes[i]) {
          predicted += KernelTime.seconds(0, b, Double.POSITIVE_INFINITY, bandwidth, overhead);
        }
        sum += smoothedLogError(predicted, measured[i], KERNEL_SMOOTHING);
      }
      return sum / n;
    };
    PointValuePair best = minimise(loss, new double[] {0.6, 3}, restarts, 20000);
    double[] x = best.getPoint();
    GpuProfile.Efficiency e = gpu.efficiency();
    GpuProfile fitted = withEfficiency(gpu, new GpuProfile.Efficiency(e.gemm(), e.gemmHalfTokens(), e.gemmOverheadUs(),
        e.memory(), e.attention(), e.attentionPrefillOverheadUs(), e.attentionDiagonalFactor(),
        e.attentionDecodeOverheadUs(), e.attentionDecodeMemory(), fitted(x[0]), fitted(x[1])));
    CalibrationReport fitCheck = Calibrations.elementwise(gpu.id() + " element-wise, fitted, fit rows", fitted, fitRows);
    CalibrationReport heldCheck = Calibrations.elementwise(gpu.id() + " element-wise, fitted, held-out rows", fitted,
        heldOut);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s element-wise kernels: fitted on %d layer points (%s* files), "
        + "held out %d, objective %.5f%n", gpu.id(), n, ELEMENTWISE_FIT_MODELS, heldOut.size(), best.getValue()));
    out.append(String.format(Locale.ROOT, "  %-24s %10s %10s%n", "", "fitted", "profile"));
    out.append(String.format(Locale.ROOT, "  %-24s %10.4f %10.4f%n", "elementwise_memory", x[0],
        e.elementwiseMemory().value()));
    out.append(String.format(Locale.ROOT, "  %-24s %10.2f %10.2f%n", "elementwise_overhead_us", x[1],
        e.elementwiseOverheadUs().value()));
    out.append(fitCheck.summaryLine()).append(System.lineSeparator());
    out.append(heldCheck.summaryLine()).append(System.lineSeparator());
    return new ElementwiseFit(gpu.id(), x[0], x[1], best.getValue(), fitCheck, heldCheck, out.toString());
  }

  // ---------------------------------------------------------------- attention

  /** The five attention numbers, the objectives reached (prefill, decode), checks against the data. */
  public record AttentionFit(String gpu, double attention, double prefillOverheadUs, double diagonalFactor,
      double decodeOverheadUs, double decodeMemory, double prefillLoss, double decodeLoss,
      CalibrationReport prefillCheck, CalibrationReport decodeCheck, String report) {}

  /** Fits the attention-kernel numbers of {@code gpu} to {@code points} (a Vidur attention table). */
  public static AttentionFit fitAttention(GpuProfile gpu, List<AttentionPoint> points, int restarts) {
    List<AttentionPoint> prefill = new ArrayList<>();
    List<AttentionPoint> decode = new ArrayList<>();
    for (AttentionPoint p : points) {
      if (p.prefill()) {
        prefill.add(p);
      } else if (p.measuredSeconds() >= Calibrations.DECODE_MIN_MEASURED_S) {
        decode.add(p);
      }
    }
    if (prefill.isEmpty() || decode.isEmpty()) {
      throw new IllegalArgumentException("the attention table needs prefill rows and decode rows of 20 us or more");
    }
    double peak = gpu.bf16Tflops().value() * 1e12;
    double hbm = gpu.hbmGbPerS().value() * 1e9;
    GpuProfile.Efficiency e = gpu.efficiency();

    // prefill, x = {overhead µs, attention, diagonal factor}; KV side at the profile's decode memory
    double[][] pre = columns(prefill);
    double preMemory = hbm * e.attentionDecodeMemory().value();
    ToDoubleFunction<double[]> preLoss = x -> {
      if (x[0] <= 0 || x[1] <= 0 || x[2] <= 0) {
        return OUT_OF_DOMAIN;
      }
      double rate = peak * x[1];
      double sum = 0;
      for (int i = 0; i < pre[0].length; i++) {
        double work = pre[0][i] + (x[2] - 1) * pre[1][i];
        sum += smoothedLogError(KernelTime.seconds(work, pre[2][i], rate, preMemory, x[0] * 1e-6), pre[3][i],
            KERNEL_SMOOTHING);
      }
      return sum / pre[0].length;
    };
    PointValuePair p = minimise(preLoss, new double[] {10, 0.4, 1.0}, restarts, 20000);

    // decode, x = {overhead µs, decode memory}; FLOP side at the fitted attention efficiency
    double[][] dec = columns(decode);
    double decRate = peak * p.getPoint()[1];
    ToDoubleFunction<double[]> decLoss = x -> {
      if (x[0] <= 0 || x[1] <= 0) {
        return OUT_OF_DOMAIN;
      }
      double bandwidth = hbm * x[1];
      double sum = 0;
      for (int i = 0; i < dec[0].length; i++) {
        sum += smoothedLogError(KernelTime.seconds(dec[0][i], dec[2][i], decRate, bandwidth, x[0] * 1e-6), dec[3][i],
            KERNEL_SMOOTHING);
      }
      return sum / dec[0].length;
    };
    PointValuePair d = minimise(decLoss, new double[] {15, 0.7}, restarts, 20000);

    double[] xp = p.getPoint();
    double[] xd = d.getPoint();
    GpuProfile fitted = withEfficiency(gpu, new GpuProfile.Efficiency(e.gemm(), e.gemmHalfTokens(),
        e.gemmOverheadUs(), e.memory(), fitted(xp[1]), fitted(xp[0]), fitted(xp[2]), fitted(xd[0]), fitted(xd[1]),
        e.elementwiseMemory(), e.elementwiseOverheadUs()));
    CalibrationReport prefillCheck = Calibrations.prefillAttention(gpu.id() + " prefill attention, fitted", fitted, points);
    CalibrationReport decodeCheck = Calibrations.decodeAttention(gpu.id() + " decode attention (rows >= 20 us), fitted",
        fitted, points, Calibrations.DECODE_MIN_MEASURED_S);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s attention kernels: %d prefill rows (objective %.5f), %d decode rows of 20 us "
        + "and more (objective %.5f)%n", gpu.id(), prefill.size(), p.getValue(), decode.size(), d.getValue()));
    out.append(String.format(Locale.ROOT, "  %-30s %10s %10s%n", "", "fitted", "profile"));
    out.append(row30("attention", xp[1], e.attention().value(), "%10.4f"));
    out.append(row30("attention_prefill_overhead_us", xp[0], e.attentionPrefillOverheadUs().value(), "%10.2f"));
    out.append(row30("attention_diagonal_factor", xp[2], e.attentionDiagonalFactor().value(), "%10.3f"));
    out.append(row30("attention_decode_overhead_us", xd[0], e.attentionDecodeOverheadUs().value(), "%10.2f"));
    out.append(row30("attention_decode_memory", xd[1], e.attentionDecodeMemory().value(), "%10.4f"));
    out.append(prefillCheck.summaryLine()).append(System.lineSeparator());
    out.append(decodeCheck.summaryLine()).append(System.lineSeparator());
    out.append(Calibrations.prefillAttention(gpu.id() + " prefill attention, profile", gpu, points).summaryLine())
        .append(System.lineSeparator());
    out.append(Calibrations.decodeAttention(gpu.id() + " decode attention (rows >= 20 us), profile", gpu, points,
        Calibrations.DECODE_MIN_MEASURED_S).summaryLine()).append(System.lineSeparator());
    return new AttentionFit(gpu.id(), xp[1], xp[0], xp[2], xd[0], xd[1], p.getValue(), d.getValue(),
        prefillCheck, decodeCheck, out.toString());
  }

  /** Columns of the attention points: FLOPs, diagonal FLOPs, bytes, measured seconds. */
  private static double[][] columns(List<AttentionPoint> points) {
    double[][] c = new double[4][points.size()];
    for (int i = 0; i < points.size(); i++) {
      AttentionPoint a = points.get(i);
      c[0][i] = a.flops();
      c[1][i] = a.diagonalFlops();
      c[2][i] = a.bytes();
      c[3][i] = a.measuredSeconds();
    }
    return c;
  }

  // ---------------------------------------------------------------- collectives

  /** One collective fit (one GPU count), its bins within tolerance, and the check against the bins. */
  public record CollectiveFitResult(String title, NodeProfile.CollectiveFit fit, double loss,
      CalibrationReport check, String report) {}

  /**
   * Fits {@code min(latency + s/gb_per_s, small_latency + s/small_gb_per_s)} to {@code bins}; the
   * one-regime line when the second line improves the objective by no more than {@link #ONE_REGIME_SLACK}.
   */
  public static CollectiveFitResult fitCollective(String title, int gpus, List<CollectiveBin> bins) {
    if (bins.isEmpty()) {
      throw new IllegalArgumentException(title + ": no measured bins");
    }
    double[] size = new double[bins.size()];
    double[] measured = new double[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      size[i] = bins.get(i).medianBytes();
      measured[i] = bins.get(i).medianSeconds();
    }
    // x = {small latency µs, small GB/s, latency µs, GB/s} (one regime: {latency µs, GB/s})
    ToDoubleFunction<double[]> two = x -> collectiveLoss(x, size, measured);
    ToDoubleFunction<double[]> one = x -> collectiveLoss(new double[] {x[0], x[1], x[0], x[1]}, size, measured);
    double[][] starts = {{10, 5, 30, 100}, {20, 10, 40, 150}, {5, 2, 20, 80}, {30, 50, 60, 200}};
    PointValuePair bestTwo = null;
    PointValuePair bestOne = null;
    for (double[] s : starts) {
      PointValuePair r2 = minimise(two, s, 1, 8000);
      if (bestTwo == null || r2.getValue() < bestTwo.getValue()) {
        bestTwo = r2;
      }
      PointValuePair r1 = minimise(one, new double[] {s[2], s[3]}, 1, 8000);
      if (bestOne == null || r1.getValue() < bestOne.getValue()) {
        bestOne = r1;
      }
    }
    double[] x2 = bestTwo.getPoint();
    double[] x1 = bestOne.getPoint();
    // one regime suffices when the small-message line is the faster one at no bin, or when one line
    // reaches the same objective (within ONE_REGIME_SLACK: the small line then only shaves noise)
    boolean smallUsed = false;
    for (double s : size) {
      smallUsed |= x2[0] * 1e-6 + s / (x2[1] * 1e9) < x2[2] * 1e-6 + s / (x2[3] * 1e9);
    }
    boolean single = !smallUsed || bestOne.getValue() <= bestTwo.getValue() + ONE_REGIME_SLACK
        || binsWithin(new double[] {x1[0], x1[1], x1[0], x1[1]}, size, measured) > binsWithin(x2, size, measured);
    NodeProfile.CollectiveFit fit = single
        ? new NodeProfile.CollectiveFit(gpus, fitted(x1[0]), fitted(x1[1]), null, null)
        : new NodeProfile.CollectiveFit(gpus, fitted(x2[2]), fitted(x2[3]), fitted(x2[0]), fitted(x2[1]));
    CalibrationReport check = Calibrations.collective(title + ", fitted", new CollectiveModel(fit), bins);
    String line = String.format(Locale.ROOT, "%s: latency_us %.1f, gb_per_s %.1f%s; %d/%d bins within 20 %% or 15 us, "
            + "objective %.4f%n", title, fit.latencyUs().value(), fit.gbPerS().value(),
        single ? " (one regime)" : String.format(Locale.ROOT, ", small_latency_us %.1f, small_gb_per_s %.2f",
            fit.smallLatencyUs().value(), fit.smallGbPerS().value()),
        Math.round(check.shareWithin() * bins.size()), bins.size(), single ? bestOne.getValue() : bestTwo.getValue());
    return new CollectiveFitResult(title, fit, single ? bestOne.getValue() : bestTwo.getValue(), check, line);
  }

  /** The fits of one node: all-reduce over 2, 4, 8 GPUs (as many as it holds) and send/recv over 2. */
  public record NetworkFit(String node, List<CollectiveFitResult> allReduce, CollectiveFitResult sendRecv, String report) {}

  /**
   * Fits every collective of {@code node} to {@code <prefix>_dgx_all_reduce.csv} and
   * {@code <prefix>_dgx_send_recv.csv} in {@code folder} (prefix: the GPU family, e.g. h100).
   */
  public static NetworkFit fitNetwork(NodeProfile node, Path folder, String prefix) {
    List<CollectivePoint> allReducePoints = VidurNetwork.read(folder.resolve(prefix + "_dgx_all_reduce.csv"));
    List<CollectiveFitResult> allReduce = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    for (int gpus : new int[] {2, 4, 8}) {
      if (gpus <= node.gpusPerNode()) {
        CollectiveFitResult r = fitCollective(node.id() + " all-reduce " + gpus + " GPUs", gpus,
            bins(VidurNetwork.singleNode(allReducePoints, gpus)));
        allReduce.add(r);
        out.append(r.report());
        shippedLine(out, node.id() + " all-reduce " + gpus + " GPUs", CollectiveModel.allReduce(node, gpus),
            bins(VidurNetwork.singleNode(allReducePoints, gpus)), lookup(node.scaleUp().allReduce(), gpus));
      }
    }
    List<CollectivePoint> sendRecvPoints = VidurNetwork.singleNode(
        VidurNetwork.read(folder.resolve(prefix + "_dgx_send_recv.csv")), 2);
    CollectiveFitResult sendRecv = fitCollective(node.id() + " send/recv 2 GPUs", 2, bins(sendRecvPoints));
    out.append(sendRecv.report());
    shippedLine(out, node.id() + " send/recv 2 GPUs", CollectiveModel.sendRecv(node), bins(sendRecvPoints),
        lookup(node.scaleUp().sendRecv(), 2));
    return new NetworkFit(node.id(), allReduce, sendRecv, out.toString());
  }

  /** Bins 2 KiB–64 MiB, as the calibration check uses. */
  public static List<CollectiveBin> bins(List<CollectivePoint> points) {
    return CollectiveBin.powersOfTwo(points, MIN_BIN_BYTES, MAX_BIN_BYTES);
  }

  private static NodeProfile.CollectiveFit lookup(List<NodeProfile.CollectiveFit> fits, int gpus) {
    for (NodeProfile.CollectiveFit f : fits) {
      if (f.gpus() == gpus) {
        return f;
      }
    }
    return null;
  }

  private static void shippedLine(StringBuilder out, String title, CollectiveModel model, List<CollectiveBin> bins,
      NodeProfile.CollectiveFit fit) {
    CalibrationReport r = Calibrations.collective(title, model, bins);
    out.append(String.format(Locale.ROOT, "  profile: latency_us %.1f, gb_per_s %.1f%s; %d/%d bins%n",
        fit.latencyUs().value(), fit.gbPerS().value(),
        fit.smallLatencyUs() == null ? " (one regime)" : String.format(Locale.ROOT,
            ", small_latency_us %.1f, small_gb_per_s %.2f", fit.smallLatencyUs().value(), fit.smallGbPerS().value()),
        Math.round(r.shareWithin() * bins.size()), bins.size()));
  }

  static double collectiveLoss(double[] x, double[] size, double[] measured) {
    for (double v : x) {
      if (v <= 0) {
        return OUT_OF_DOMAIN;
      }
    }
    double sum = 0;
    int within = 0;
    for (int i = 0; i < size.length; i++) {
      double predicted = collectiveSeconds(x, size[i]);
      if (within(predicted, measured[i])) {
        within++;
      }
      sum += smoothedLogError(predicted, measured[i], COLLECTIVE_SMOOTHING);
    }
    return -within + COLLECTIVE_TIE_WEIGHT * sum / size.length;
  }

  static int binsWithin(double[] x, double[] size, double[] measured) {
    int within = 0;
    for (int i = 0; i < size.length; i++) {
      if (within(collectiveSeconds(x, size[i]), measured[i])) {
        within++;
      }
    }
    return within;
  }

  private static double collectiveSeconds(double[] x, double bytes) {
    return Math.min(x[0] * 1e-6 + bytes / (x[1] * 1e9), x[2] * 1e-6 + bytes / (x[3] * 1e9));
  }

  private static boolean within(double predicted, double measured) {
    return Math.abs(predicted / measured - 1) <= Calibrations.RELATIVE_TOLERANCE
        || Math.abs(predicted - measured) <= Calibrations.COLLECTIVE_ABSOLUTE_TOLERANCE_S;
  }

  // ---------------------------------------------------------------- shared

  /** sqrt(e² + δ²), e = ln(predicted / measured): |e| smoothed near 0. */
  static double smoothedLogError(double predicted, double measured, double delta) {
    double e = Math.log(predicted / measured);
    return Math.sqrt(e * e + delta * delta);
  }

  /**
   * Nelder-Mead from {@code start} (initial simplex: 10 % of each coordinate), then
   * {@code restarts − 1} more runs from the best point with a fresh simplex: one run can stall on a
   * flat or kinked objective.
   */
  static PointValuePair minimise(ToDoubleFunction<double[]> f, double[] start, int restarts, int maxEval) {
    SimplexOptimizer optimizer = new SimplexOptimizer(1e-10, 1e-12);
    PointValuePair best = null;
    for (int r = 0; r < Math.max(1, restarts); r++) {
      double[] from = best == null ? start : best.getPoint();
      double[] steps = new double[from.length];
      for (int i = 0; i < steps.length; i++) {
        steps[i] = Math.abs(from[i]) > 0 ? 0.1 * Math.abs(from[i]) : 0.01;
      }
      PointValuePair p = optimizer.optimize(new MaxEval(maxEval), new ObjectiveFunction(f::applyAsDouble),
          GoalType.MINIMIZE, new InitialGuess(from), new NelderMeadSimplex(steps));
      if (best == null || p.getValue() < best.getValue()) {
        best = p;
      }
    }
    return best;
  }

  private static Sourced fitted(double value) {
    return new Sourced(value, "fitted: dev.tokentherm.calibration.VidurFit");
  }

  private static GpuProfile withEfficiency(GpuProfile gpu, GpuProfile.Efficiency e) {
    return new GpuProfile(gpu.id(), gpu.name(), gpu.hbmMib(), gpu.hbmGbPerS(), gpu.bf16Tflops(), gpu.fp8Tflops(),
        gpu.powerLimitW(), gpu.idleW(), gpu.activeIdleW(), e, gpu.power(), gpu.thermal(), gpu.clock());
  }

  private static String row(String name, double fitted, double profile, String format) {
    return String.format(Locale.ROOT, "  %-18s " + format + " " + format + "%n", name, fitted, profile);
  }

  private static String row30(String name, double fitted, double profile, String format) {
    return String.format(Locale.ROOT, "  %-30s " + format + " " + format + "%n", name, fitted, profile);
  }
}
