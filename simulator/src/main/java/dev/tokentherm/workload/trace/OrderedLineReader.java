package dev.tokentherm.workload.trace;

/**
 * What every format shares: one request per line, an optional header, the empty-trace error and
 * the rule that arrivals never go back in time (the simulation schedules them in file order).
 */
abstract class OrderedLineReader implements TraceReader {
  protected final TraceLines lines;
  private final String arrivalField;
  private boolean started;
  private boolean anyRequest;
  private long lastArrivalNs;

  OrderedLineReader(TraceLines lines, String arrivalField) {
    this.lines = lines;
    this.arrivalField = arrivalField;
  }

  /** Reads what comes before the first request (a header); false if the file ends first. */
  abstract boolean start() throws TraceException;

  /** Parses one request line into {@code out}, hashes and line number included. */
  abstract void parse(String line, TraceRecord out) throws TraceException;

  @Override
  public final boolean next(TraceRecord out) throws TraceException {
    if (!started) {
      started = true;
      if (!start()) {
        throw lines.empty();
      }
    }
    String line = lines.next();
    if (line == null) {
      if (!anyRequest) {
        throw lines.empty();
      }
      return false;
    }
    try {
      parse(line, out);
    } catch (TraceException e) {
      throw e.asRow(); // the line is consumed: the next call reads the one after it
    }
    long arrivalNs = out.arrivalNs();
    if (anyRequest && arrivalNs < lastArrivalNs) {
      throw lines.error(arrivalField,
          "goes back in time (" + Seconds.text(arrivalNs) + " s after " + Seconds.text(lastArrivalNs) + " s)",
          "non-decreasing arrivals").asRow();
    }
    anyRequest = true;
    lastArrivalNs = arrivalNs;
    return true;
  }

  @Override
  public final void close() throws TraceException {
    lines.close();
  }
}
