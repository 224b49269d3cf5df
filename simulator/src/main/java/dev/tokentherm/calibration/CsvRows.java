package dev.tokentherm.calibration;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a headed CSV file into one map per row (column → text); errors name the file and row. */
final class CsvRows {
  private CsvRows() {}

  static List<Map<String, String>> read(Path csv) {
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        mapper.readerForMapOf(String.class).with(schema).readValues(csv.toFile())) {
      while (it.hasNext()) {
        rows.add(it.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
    }
    return rows;
  }

  static double number(Map<String, String> row, String column, Path csv, int index) {
    String text = row.get(column);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(csv + " row " + (index + 1) + ": column " + column + " is empty or missing");
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(csv + " row " + (index + 1) + ": column " + column + " is not a number: " + text, e);
    }
  }

  /** An optional number (a kernel that did not run in this row is an empty cell): NaN when empty. */
  static double numberOrNaN(Map<String, String> row, String column) {
    String text = row.get(column);
    return text == null || text.isBlank() ? Double.NaN : Double.parseDouble(text);
  }
}
