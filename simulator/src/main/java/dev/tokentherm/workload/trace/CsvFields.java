package dev.tokentherm.workload.trace;

import java.util.Arrays;

/**
 * The comma-separated values of one line as index ranges into it, trimmed of spaces and tabs, so
 * that numbers are parsed in place. No quoting: trace values never hold a comma.
 */
final class CsvFields {
  private String line = "";
  private int[] starts = new int[8];
  private int[] ends = new int[8];
  private int count;

  void split(String line) {
    this.line = line;
    count = 0;
    int start = 0;
    while (true) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 ? line.length() : comma;
      add(start, end);
      if (comma < 0) {
        return;
      }
      start = comma + 1;
    }
  }

  int count() {
    return count;
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  /** The i-th value as a string (allocates: for messages, names and session ids). */
  String text(int i) {
    return line.substring(starts[i], ends[i]);
  }

  /** The i-th value as the long {@link WholeNumbers#parse} gives. */
  long wholeNumber(int i) {
    return WholeNumbers.parse(line, starts[i], ends[i]);
  }

  private void add(int start, int end) {
    while (start < end && isBlank(line.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(line.charAt(end - 1))) {
      end--;
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
