package dev.tokentherm.workload.trace;

/**
 * Streams the requests of one trace file in arrival order, one line at a time, holding nothing
 * but the current line (and, for the user CSV, the names of the sessions not yet declared over).
 *
 * <pre>{@code
 * try (TraceReader trace = TraceReaders.open(path, TraceFormat.MOONCAKE)) {
 *   TraceRecord request = new TraceRecord();
 *   while (trace.next(request)) { ... }
 * }
 * }</pre>
 */
public interface TraceReader extends AutoCloseable {
  /**
   * Reads the next request into {@code out}.
   *
   * @return false at the end of the trace (then {@code out} is left as it was)
   * @throws TraceException for a bad row, arrivals that go back in time, a trace without any
   *     request (on the first call), or a file that cannot be read
   */
  boolean next(TraceRecord out) throws TraceException;

  /**
   * The session of the record just read has no later rows ({@link SessionEnds}): the reader may
   * forget its name, so that it holds only sessions still to come back. Its id is never reused.
   */
  default void sessionOver() {}

  @Override
  void close() throws TraceException;
}
