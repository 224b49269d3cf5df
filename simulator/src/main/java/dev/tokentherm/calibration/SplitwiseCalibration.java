package dev.tokentherm.calibration;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.scenario.ProfileLibrary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Splitwise table against the simulator: each measurement becomes one iteration on a replica
 * of the row's model on a DGX node of the row's GPU at the row's tensor parallelism, bf16, with a
 * given serving-stack profile (issue 3: the splitwise-2023 stack). Rooflines are built from the
 * shipped GPU, node and model profiles, one per (model, GPU, TP), and kept.
 */
public final class SplitwiseCalibration {
  static final String LLAMA = "llama2-70b";
  static final String BLOOM = "bloom-176b";
  static final String H100 = "h100-80gb";
  static final String A100 = "a100-80gb";
  /** The table's model and hardware names → profile ids (model; DGX node, which names its GPU). */
  private static final Map<String, String> MODELS = Map.of(LLAMA, "llama-2-70b", BLOOM, "bloom-176b");
  private static final Map<String, String> NODES = Map.of(H100, "dgx-h100", A100, "dgx-a100");
  /** Reports count a row as within at this relative error (the summary also gives 10 %). */
  public static final double TOLERANCE = 0.20;

  private final ProfileLibrary profiles;
  private final StackProfile stack;
  private final Map<String, Roofline> rooflines = new LinkedHashMap<>();
  private final BatchWork work = new BatchWork();
  private final IterationCost cost = new IterationCost();

  public SplitwiseCalibration(ProfileLibrary profiles, StackProfile stack) {
    this.profiles = profiles;
    this.stack = stack;
  }

  /** Predicted seconds of the measured iteration. */
  public double predictS(SplitwisePoint p) {
    p.fill(work);
    roofline(p.row()).cost(work, cost);
    return cost.totalS();
  }

  /** The cost of the iteration {@code w} on the replica of {@code row}'s model, GPU and TP. */
  public void cost(SplitwiseRow row, BatchWork w, IterationCost out) {
    roofline(row).cost(w, out);
  }

  /** One report per group; a group without rows is left out. */
  public Map<SplitwiseGroup, CalibrationReport> reports(SplitwiseSelection selection) {
    Map<SplitwiseGroup, CalibrationReport> reports = new LinkedHashMap<>();
    for (SplitwiseGroup g : SplitwiseGroup.values()) {
      List<SplitwisePoint> points = selection.group(g);
      if (!points.isEmpty()) {
        reports.put(g, report(g.title() + " (" + stack.id() + ")", points));
      }
    }
    return reports;
  }

  public CalibrationReport report(String title, List<SplitwisePoint> points) {
    List<CalibrationReport.Row> rows = new ArrayList<>(points.size());
    for (SplitwisePoint p : points) {
      rows.add(new CalibrationReport.Row(p.label(), p.measuredS(), predictS(p)));
    }
    return new CalibrationReport(title, TOLERANCE, 0, rows);
  }

  /** Mean |predicted / measured − 1| over the points (the fit's objective). */
  public double mape(List<SplitwisePoint> points) {
    double sum = 0;
    for (SplitwisePoint p : points) {
      sum += Math.abs(predictS(p) / p.measuredS() - 1);
    }
    return sum / points.size();
  }

  private Roofline roofline(SplitwiseRow row) {
    String key = row.model() + "|" + row.hardware() + "|" + row.tensorParallel();
    Roofline r = rooflines.get(key);
    if (r == null) {
      r = build(row);
      rooflines.put(key, r);
    }
    return r;
  }

  private Roofline build(SplitwiseRow row) {
    checkKnown(row);
    try {
      NodeProfile node = profiles.node(NODES.get(row.hardware()));
      Architecture arch = new Architecture(profiles.model(MODELS.get(row.model())), null, Dtype.BF16,
          row.tensorParallel(), 1, 1);
      return new Roofline(arch, profiles.gpu(node.gpu()), node, stack, Dtype.BF16, Dtype.BF16, false);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Rejects a row this comparison has no profiles for, naming the row. */
  static void checkKnown(SplitwiseRow row) {
    if (!MODELS.containsKey(row.model())) {
      throw new IllegalArgumentException("row " + row.line() + ": model '" + row.model() + "' is not one of "
          + String.join(", ", MODELS.keySet().stream().sorted().toList()));
    }
    if (!NODES.containsKey(row.hardware())) {
      throw new IllegalArgumentException("row " + row.line() + ": hardware '" + row.hardware() + "' is not one of "
          + String.join(", ", NODES.keySet().stream().sorted().toList()) + " (" + SplitwiseSelection.PCAP_HARDWARE
          + " rows are left out)");
    }
    if (row.tensorParallel() > 8) {
      throw new IllegalArgumentException("row " + row.line() + ": tensor_parallel " + row.tensorParallel()
          + " is more than the 8 GPUs of a DGX node");
    }
  }
}
