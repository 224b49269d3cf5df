package dev.tokentherm.cli;

import dev.tokentherm.sim.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal for runs longer than a few seconds: simulated time,
 * share done, events per second and the time left at the rate so far (simulated seconds per wall
 * second since the start), to the end of the horizon plus drain limit, so an upper bound when
 * the run drains early. Silent when output is piped.
 */
final class ProgressLine implements Progress {
  private static final long SHOW_AFTER_NS = 3_000_000_000L;
  private final PrintStream out;
  private final long startNs = System.nanoTime();
  private boolean shown;

  private ProgressLine(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  private final boolean enabled;

  /** A progress line on stderr when the process runs on a terminal, else a silent one. */
  static ProgressLine forTerminal() {
    return new ProgressLine(System.err, System.console() != null);
  }

  @Override
  public void update(long simulatedNs, long endNs, long events) {
    long elapsed = System.nanoTime() - startNs;
    if (!enabled || elapsed < SHOW_AFTER_NS) {
      return;
    }
    shown = true;
    out.print("\r" + line(simulatedNs, endNs, events, elapsed) + "   ");
    out.flush();
  }

  /** The line's text after {@code elapsedNs} of wall time. */
  static String line(long simulatedNs, long endNs, long events, long elapsedNs) {
    double wallS = Math.max(elapsedNs, 1) * 1e-9;
    return String.format(Locale.ROOT, "simulated %.0f s of at most %.0f s (%.0f%%), %.2f M events/s, %s",
        simulatedNs * 1e-9, endNs * 1e-9, 100.0 * simulatedNs / endNs, events / wallS / 1e6,
        eta(simulatedNs, endNs, wallS));
  }

  /** "about 1 min 05 s left" at the simulated-time rate so far; "time left unknown" before any progress. */
  static String eta(long simulatedNs, long endNs, double wallS) {
    if (simulatedNs <= 0 || wallS <= 0) {
      return "time left unknown";
    }
    return left(Math.max(0, endNs - simulatedNs) / (simulatedNs / wallS));
  }

  /**
   * The wall seconds {@code left} runs take, {@code threads} at once, each as long as the mean of
   * the {@code ran} runs simulated so far ({@code wallSumS} in all): mean × left / min(threads,
   * left), since fewer runs than threads still take one run's time; NaN before a run has finished.
   */
  static double runsLeftS(double wallSumS, int ran, int left, int threads) {
    if (ran <= 0) {
      return Double.NaN;
    }
    if (left <= 0) {
      return 0;
    }
    return wallSumS / ran * left / Math.min(Math.max(threads, 1), left);
  }

  /** "about 1 min 05 s left" (seconds rounded up); "time left unknown" for NaN. */
  static String left(double leftS) {
    if (Double.isNaN(leftS)) {
      return "time left unknown";
    }
    long s = Math.round(Math.ceil(leftS));
    if (s < 60) {
      return "about " + s + " s left";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "about %d min %02d s left", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "about %d h %02d min left", s / 3600, s / 60 % 60);
  }

  /** Clears the line before the summary is printed. */
  void finish() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
