package dev.tokentherm.calibration;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.scenario.ProfileLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Fits the splitwise-2023 stack's overheads to the Splitwise table (issue 3): Nelder-Mead on the
 * MAPE of the Llama2-70B TP2 and TP8 rows of both GPUs (the exclusions of
 * {@link SplitwiseSelection} applied), and prints the numbers the profile holds. TP4 and BLOOM
 * are never seen by the fit; their values at TP4 are interpolated in log2(tp) between TP2 and TP8.
 *
 * <p>Run it with {@code tokentherm calibrate splitwise-fit} (the core never prints, so the CLI
 * prints the account); copy the numbers into hardware-profiles/stacks/splitwise-2023.yaml.
 */
public final class SplitwiseFit {
  static final String[] NODES = {"dgx-h100", "dgx-a100"};

  /**
   * The six fitted numbers, all non-negative: CPU time per sequence and per token (alike on both
   * platforms), and the launch time per collective at TP2 and TP8 on each node. The time per
   * iteration is not fitted: on Llama2-70B every iteration has 160 all-reduces, so a fixed time per
   * iteration cannot be told apart from the launch time (a first fit with it gave 0.03 ms).
   */
  public record Params(double perSequenceUs, double perTokenUs, double[][] launchUs) {
    static final String[] NAMES = {"per_sequence_overhead_us", "per_token_overhead_us",
        "collective_launch_us dgx-h100 tp2", "collective_launch_us dgx-h100 tp8",
        "collective_launch_us dgx-a100 tp2", "collective_launch_us dgx-a100 tp8"};
    static final double[] START = {100, 50, 50, 100, 50, 100};

    static Params of(double[] x) {
      double[] p = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        p[i] = Math.abs(x[i]); // overheads are never negative: fit |x|
      }
      return new Params(p[0], p[1], new double[][] {{p[2], p[3]}, {p[4], p[5]}});
    }

    double[] values() {
      return new double[] {perSequenceUs, perTokenUs, launchUs[0][0], launchUs[0][1], launchUs[1][0],
          launchUs[1][1]};
    }

    /** Launch time at tp on node n: linear in log2(tp) through the TP2 and TP8 values (TP4: their mean). */
    double launchAt(int node, int tp) {
      double lo = launchUs[node][0];
      double hi = launchUs[node][1];
      double t = (Math.log(tp) / Math.log(2) - 1) / 2; // 0 at TP2, 1 at TP8
      return lo + (hi - lo) * t;
    }
  }

  private SplitwiseFit() {}

  /**
   * A copy of {@code template} with the overheads of {@code p}, laid out as the profile holds them:
   * by_tp entries for TP 2, 4, 8 with the DGX-H100 launch times for every node, and entries of
   * their own for DGX-A100.
   */
  static StackProfile stack(StackProfile template, Params p) {
    String fitted = "fitted: dev.tokentherm.calibration.SplitwiseFit (tokentherm calibrate splitwise-fit)";
    List<StackProfile.TpOverheads> byTp = new ArrayList<>();
    for (int n = 0; n < NODES.length; n++) {
      for (int tp : new int[] {2, 4, 8}) {
        byTp.add(new StackProfile.TpOverheads(tp, n == 0 ? null : NODES[n], null, null, null, null,
            new Sourced(p.launchAt(n, tp), fitted)));
      }
    }
    return new StackProfile(template.id(), template.name(), new Sourced(0, fitted),
        new Sourced(p.perSequenceUs(), fitted), new Sourced(p.perTokenUs(), fitted), template.cpuOverlap(), null, null,
        template.attentionEfficiency(), byTp, template.activationPeak(), template.reserveMib(), template.kvFreeOrder());
  }

  /** The fit's outcome: the numbers, the objective they reach, and a printable account. */
  public record Fitted(Params params, double mape, String report) {}

  /**
   * Fits the overheads on the FITTED group of {@code rows}, starting from {@code template}'s other
   * values (activation peak, reserve, overlap are kept), and evaluates every group with them.
   */
  public static Fitted fit(ProfileLibrary library, StackProfile template, List<SplitwiseRow> rows) {
    SplitwiseSelection selection = SplitwiseSelection.of(rows);
    List<SplitwisePoint> fitted = selection.group(SplitwiseGroup.FITTED);
    SimplexOptimizer optimizer = new SimplexOptimizer(1e-9, 1e-9);
    PointValuePair best = null;
    // restarts from the best point: Nelder-Mead stalls on the kinks of an absolute-error objective
    for (int restart = 0; restart < 4; restart++) {
      double[] from = best == null ? Params.START : best.getPoint();
      double[] steps = new double[from.length];
      for (int i = 0; i < steps.length; i++) {
        steps[i] = Math.max(1, Math.abs(from[i]) * 0.3);
      }
      PointValuePair r = optimizer.optimize(new MaxEval(20000),
          new ObjectiveFunction(x -> new SplitwiseCalibration(library, stack(template, Params.of(x))).mape(fitted)),
          GoalType.MINIMIZE, new InitialGuess(from), new NelderMeadSimplex(steps));
      if (best == null || r.getValue() < best.getValue()) {
        best = r;
      }
    }
    Params p = Params.of(best.getPoint());
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "fitted on %d measurements, MAPE %.2f %%%n", fitted.size(), best.getValue() * 100));
    double[] x = p.values();
    for (int i = 0; i < x.length; i++) {
      out.append(String.format(Locale.ROOT, "%-36s %10.2f%n", Params.NAMES[i], x[i]));
    }
    for (int n = 0; n < NODES.length; n++) {
      out.append(String.format(Locale.ROOT, "collective_launch_us %s tp4 (log2 interpolation) %.2f%n", NODES[n],
          p.launchAt(n, 4)));
    }
    SplitwiseCalibration c = new SplitwiseCalibration(library, stack(template, p));
    for (CalibrationReport r : c.reports(selection).values()) {
      out.append(r.summaryLine()).append(System.lineSeparator());
    }
    return new Fitted(p, best.getValue(), out.toString());
  }
}
