package dev.tokentherm.cli;

import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.RunRecord;
import java.io.PrintStream;

/**
 * A sweep's one-line progress on a terminal: runs finished of all, those read back from an earlier
 * (interrupted) sweep, failures, and the time left at the rate of the runs simulated so far.
 * Silent when output is piped.
 */
final class SweepProgress implements ExperimentRunner.Listener {
  private final PrintStream out;
  private final boolean enabled;
  private final long startNs = System.nanoTime();
  private int ran;
  private int reused;
  private int failed;
  private boolean shown;

  private SweepProgress(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  static SweepProgress forTerminal() {
    return new SweepProgress(System.err, System.console() != null);
  }

  @Override
  public void finished(RunRecord record, int done, int total) {
    if (!record.ok()) {
      failed++;
    } else if (record.reused()) {
      reused++;
    } else {
      ran++;
    }
    if (!enabled) {
      return;
    }
    shown = true;
    out.print("\r" + line(done, total, reused, failed, ran, System.nanoTime() - startNs) + "   ");
    out.flush();
  }

  /** "sweep: 37 of 120 runs (12 already done, 0 failed), about 1 min 05 s left". */
  static String line(int done, int total, int reused, int failed, int ran, long elapsedNs) {
    return "sweep: " + done + " of " + total + " runs (" + reused + " already done, " + failed + " failed), "
        + ProgressLine.eta(ran, ran + (total - done), elapsedNs * 1e-9);
  }

  void finish() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
