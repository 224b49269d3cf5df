package dev.tokentherm.cli;

import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.plan.Bisection;
import dev.tokentherm.plan.Plan;
import dev.tokentherm.plan.Probe;
import java.io.PrintStream;

/**
 * A plan's one-line progress on a terminal, under its probe lines: probes made of the most the
 * searches can make, runs so far, and the time left if every remaining probe is made, its
 * replications taking the mean wall time of the runs simulated so far, {@code threads} at once
 * ({@link ProgressLine#runsLeftS}): an upper bound, as searches that end early make fewer probes.
 * Silent when output is piped, so what tests compare never holds it.
 */
final class PlanProgress {
  private final PrintStream out;
  private final boolean enabled;
  private final int threads;
  private final int replications;
  private final int maxProbes;
  private int probes;
  private int runs;
  private int ran;
  private double wallSumS;
  private boolean shown;

  PlanProgress(PrintStream out, boolean enabled, Plan plan, int threads) {
    this.out = out;
    this.enabled = enabled;
    this.threads = threads;
    this.replications = plan.replications();
    this.maxProbes = plan.candidates().size() * maxProbes(plan.search());
  }

  static PlanProgress forTerminal(Plan plan, int threads) {
    return new PlanProgress(System.err, System.console() != null, plan, threads);
  }

  /**
   * The most probes one candidate's searches make: the stable search probes both ends and
   * ⌈log2(width / tolerance)⌉ midpoints, the SLO search at most as many midpoints again (its
   * bracket lies inside the first's; its ends are already probed).
   */
  static int maxProbes(Plan.Search s) {
    double tolerance = s.integer() ? Math.max(s.tolerance(), 1) : s.tolerance();
    return 2 + 2 * Bisection.steps(s.max() - s.min(), tolerance);
  }

  /** Counts a finished probe and shows the line. */
  void probed(Probe probe) {
    probes++;
    for (RunRecord r : probe.runs()) {
      if (r == null) {
        continue;
      }
      runs++;
      if (r.ok() && !r.reused()) {
        ran++;
        wallSumS += r.wallS();
      }
    }
    if (!enabled) {
      return;
    }
    shown = true;
    double leftS = ProgressLine.runsLeftS(wallSumS, ran, Math.max(0, maxProbes - probes) * replications, threads);
    out.print("\r" + line(probes, maxProbes, runs, leftS) + "   ");
    out.flush();
  }

  /** "plan: 5 of at most 16 probes, 15 runs, at most about 1 min 05 s left". */
  static String line(int probes, int maxProbes, int runs, double leftS) {
    return "plan: " + probes + " of at most " + maxProbes + " probes, " + runs + " runs, at most "
        + ProgressLine.left(leftS);
  }

  /** Clears the line (before a line is printed, and at the end). */
  void clear() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
      shown = false;
    }
  }
}
