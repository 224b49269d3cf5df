package dev.tokentherm.cli;

import dev.tokentherm.sim.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal for runs longer than a few seconds: simulated time,
 * share done, events per second. Silent when output is piped.
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
    out.printf(Locale.ROOT, "\rsimulated %.0f s of at most %.0f s (%.0f%%), %.2f M events/s   ",
        simulatedNs * 1e-9, endNs * 1e-9, 100.0 * simulatedNs / endNs, events / (elapsed * 1e-9) / 1e6);
    out.flush();
  }

  /** Clears the line before the summary is printed. */
  void finish() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
