package dev.tokentherm.workload.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The bad rows of a trace, collected so that one pass reports them all: the first {@link #KEPT}
 * messages are kept (each one line, {@code file:line: field: what; allowed: …}), the rest only
 * counted, so a trace of millions of bad rows costs no more memory than a good one.
 */
public final class TraceProblems {
  /** Messages kept; the rest are counted. */
  public static final int KEPT = 100;

  private final List<String> messages = new ArrayList<>();
  private long count;

  void add(TraceException e) {
    add(e.getMessage());
  }

  /** Adds a problem of the trace (a bad row, or the whole file). */
  public void add(String message) {
    count++;
    if (messages.size() < KEPT) {
      messages.add(message);
    }
  }

  /** The first {@link #KEPT} messages, in file order. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** Every problem found, kept or not. */
  public long count() {
    return count;
  }

  public boolean any() {
    return count > 0;
  }
}
