package dev.tokentherm.workload.trace;

import java.util.List;

/** The header line of a CSV trace: where each named column is, checked once, before any row. */
final class CsvHeader {
  private final CsvFields names = new CsvFields();
  private final TraceLines lines;
  private final String expected;

  /** {@code expected} is the header as the format documents it, quoted in every message. */
  CsvHeader(TraceLines lines, String expected) {
    this.lines = lines;
    this.expected = expected;
  }

  /** Reads the header line; false if the file holds none. */
  boolean read() throws TraceException {
    String line = lines.next();
    if (line == null) {
      return false;
    }
    names.split(line);
    for (int i = 0; i < names.count(); i++) {
      for (int j = 0; j < i; j++) {
        if (names.text(i).equals(names.text(j))) {
          throw lines.error("header", "column \"" + names.text(i) + "\" appears twice", "the header " + expected);
        }
      }
    }
    return true;
  }

  /** The index of a column the format needs. */
  int required(String name) throws TraceException {
    int index = optional(name);
    if (index < 0) {
      throw lines.error("header", "no column \"" + name + "\"", "the header " + expected);
    }
    return index;
  }

  /** The index of a column, or -1 where there is none. */
  int optional(String name) {
    for (int i = 0; i < names.count(); i++) {
      if (names.text(i).equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Refuses columns the format does not know, so that a misspelt optional column is not ignored. */
  void rejectOthers(List<String> known) throws TraceException {
    for (int i = 0; i < names.count(); i++) {
      if (!known.contains(names.text(i))) {
        throw lines.error("header", "unknown column \"" + names.text(i) + "\"", "the header " + expected);
      }
    }
  }

  /** Splits a row and checks that it has one value per column. */
  void splitRow(String line, CsvFields row) throws TraceException {
    row.split(line);
    if (row.count() != names.count()) {
      throw lines.error("row", row.count() + " values but the header has " + names.count() + " columns",
          "one value per column of " + expected + ", no quoting");
    }
  }

  /** The integer in a row's column, at least {@code min}; errors quote the value as written. */
  int intValue(CsvFields row, int column, int min, String field) throws TraceException {
    long value = row.wholeNumber(column);
    if (value < min || value > Integer.MAX_VALUE) {
      throw lines.outOfRange(value, min, Integer.MAX_VALUE, field, quoted(row, column));
    }
    return (int) value;
  }

  static String quoted(CsvFields row, int column) {
    return '"' + row.text(column) + '"';
  }
}
