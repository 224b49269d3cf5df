package dev.tokentherm.workload.trace;

/**
 * A trace that cannot be replayed. The message is one line meant for users as it is:
 * {@code file:line: field: what is wrong; allowed: what is allowed}, or {@code file: what} for
 * problems of the whole file (empty, unreadable).
 */
public final class TraceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A bad row: the reader has moved past it and can go on with the next one. */
  private boolean row;

  TraceException(String message) {
    super(message, null, false, false); // users see the message, never a stack trace
  }

  /** Whether this is one bad row, after which the rest of the file can still be read. */
  public boolean isRow() {
    return row;
  }

  TraceException asRow() {
    row = true;
    return this;
  }

  static TraceException atLine(String file, int line, String field, String what, String allowed) {
    return new TraceException(file + ":" + line + ": " + field + ": " + what + "; allowed: " + allowed);
  }

  public static TraceException ofFile(String file, String what) {
    return new TraceException(file + ": " + what);
  }
}
