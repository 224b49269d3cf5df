package dev.tokentherm.workload.trace;

import java.io.BufferedReader;
import java.io.IOException;

/** The non-blank lines of a trace file, counted, so that every message can name its line. */
final class TraceLines implements AutoCloseable {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /** Longest line read, characters: no trace record is near it, and /dev/zero has no line end. */
  static final int MAX_LINE_CHARS = 1 << 20;

  private final String file;
  private final BufferedReader in;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder pending = new StringBuilder();
  private int position;
  private int limit;
  private int lineNumber;

  TraceLines(String file, BufferedReader in) {
    this.file = file;
    this.in = in;
  }

  /** The next line that holds anything but whitespace, or null at the end of the file. */
  String next() throws TraceException {
    try {
      String line;
      do {
        line = readLine(); // accepts \n and \r\n (the Azure files use \r\n)
        if (line == null) {
          return null;
        }
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
          line = line.substring(1); // spreadsheet exports often start with one
        }
      } while (line.isBlank());
      return line;
    } catch (IOException e) {
      throw TraceException.ofFile(file, "cannot be read after line " + lineNumber + " (" + e.getMessage() + ")");
    }
  }

  /**
   * The next line without its terminator (\n, \r\n or \r), or null at the end; a line longer
   * than {@link #MAX_LINE_CHARS} is an error before it is all in memory.
   */
  private String readLine() throws IOException, TraceException {
    pending.setLength(0);
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          lineNumber++;
          return pending.toString();
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      pending.append(buffer, start, position - start);
      if (pending.length() > MAX_LINE_CHARS) {
        throw TraceException.atLine(file, lineNumber + 1, "line", "is longer than " + MAX_LINE_CHARS
            + " characters", "lines of at most " + MAX_LINE_CHARS + " characters (1 MiB)");
      }
      if (position < limit) {
        char end = buffer[position++];
        if (end == '\r') {
          if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            limit = Math.max(limit, 0);
          }
          if (position < limit && buffer[position] == '\n') {
            position++;
          }
        }
        lineNumber++;
        return pending.toString();
      }
    }
  }

  /** The number of the line {@link #next} returned last (1-based). */
  int lineNumber() {
    return lineNumber;
  }

  TraceException error(String field, String what, String allowed) {
    return TraceException.atLine(file, lineNumber, field, what, allowed);
  }

  TraceException empty() {
    return TraceException.ofFile(file, "the trace is empty");
  }

  /**
   * The error for a {@code value} outside {@code [min, max]}; {@code shown} is the value as
   * written. A value below {@code min} includes {@link WholeNumbers#NOT_DIGITS}: text that is not
   * a whole number at all.
   */
  TraceException outOfRange(long value, long min, long max, String field, String shown) {
    if (value < min) {
      return error(field, shown + " is not a whole number ≥ " + min, "integers ≥ " + min);
    }
    return error(field, shown + " is too large", "integers from " + min + " to " + max);
  }

  @Override
  public void close() throws TraceException {
    try {
      in.close();
    } catch (IOException e) {
      throw TraceException.ofFile(file, "cannot be closed (" + e.getMessage() + ")");
    }
  }
}
