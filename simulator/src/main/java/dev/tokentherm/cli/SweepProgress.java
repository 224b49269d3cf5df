package dev.tokentherm.cli;

import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.RunRecord;
import java.io.PrintStream;

/**
 * A sweep's one-line progress on a terminal: runs finished of all, those read back from an earlier
 * (interrupted) sweep, failures, and the time left: the runs left, {@code threads} at once, each
 * taking the mean wall time of the runs simulated so far ({@link ProgressLine#runsLeftS}). Silent
 * when output is piped, so what tests compare never holds it.
 */
final class SweepProgress implements ExperimentRunner.Listener {
  private final PrintStream out;
  private final boolean enabled;
  private final int threads;
  private int ran;
  private double wallSumS;
  private int reused;
  private int failed;
  private boolean shown;

  private SweepProgress(PrintStream out, boolean enabled, int threads) {
    this.out = out;
    this.enabled = enabled;
    this.threads = threads;
  }

  static SweepProgress forTerminal(int threads) {
    return new SweepProgress(System.err, System.console() != null, threads);
  }

  @Override
  public void finished(RunRecord record, int done, int total) {
    if (!record.ok()) {
      failed++;
    } else if (record.reused()) {
      reused++;
    } else {
      ran++;
      wallSumS += record.wallS();
    }
    if (!enabled) {
      return;
    }
    shown = true;
    out.print("\r" + line(done, total, reused, failed, ProgressLine.runsLeftS(wallSumS, ran, total - done, threads))
        + "   ");
    out.flush();
  }

  /** "sweep: 37 of 120 runs (12 already done, 0 failed), about 1 min 05 s left". */
  static String line(int done, int total, int reused, int failed, double leftS) {
    return "sweep: " + done + " of " + total + " runs (" + reused + " already done, " + failed + " failed), "
        + ProgressLine.left(leftS);
  }

  void finish() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
