package dev.tokentherm.workload.trace;

/**
 * A trace that cannot be replayed. The message is one line meant for users as it is:
 * {@code file:line: field: what is wrong; allowed: what is allowed}, or {@code file: what} for
 * problems of the whole file (empty, unreadable).
 */
public final class TraceException extends Exception {
  private static final long serialVersionUID = 1L;

  TraceException(String message) {
    super(message, null, false, false); // users see the message, never a stack trace
  }

  static TraceException atLine(String file, int line, String field, String what, String allowed) {
    return new TraceException(file + ":" + line + ": " + field + ": " + what + "; allowed: " + allowed);
  }

  public static TraceException ofFile(String file, String what) {
    return new TraceException(file + ": " + what);
  }
}
