package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;

/**
 * The last two cells of requests.csv and conversations.csv: {@code trace_session} (the trace's
 * own session name, empty for a request of its own or a workload that is no trace) and {@code
 * trace_line} (the line of the trace file the turn was read from, 1-based and counting the header
 * and blank lines, as trace errors do; empty when not from a trace). A name that holds a quote is
 * quoted as CSV requires (names have no commas); appended in place, allocating nothing.
 */
final class TraceCells {
  private TraceCells() {}

  static void append(StringBuilder b, Request r) {
    String session = r.traceSession();
    if (session != null) {
      if (session.indexOf('"') >= 0) {
        b.append('"');
        for (int i = 0; i < session.length(); i++) {
          char c = session.charAt(i);
          if (c == '"') {
            b.append('"');
          }
          b.append(c);
        }
        b.append('"');
      } else {
        b.append(session);
      }
    }
    b.append(',');
    if (r.traceLine() > 0) {
      b.append(r.traceLine());
    }
  }
}
