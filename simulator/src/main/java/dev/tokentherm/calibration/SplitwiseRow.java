package dev.tokentherm.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of Splitwise's profiled performance table ({@code data/traces/splitwise_sim_perf_model.csv}):
 * a batch of {@code batchSize} prompts of {@code promptSize} tokens prefilled together
 * ({@code promptTimeMs}), then decoded for {@code tokenSize} tokens ({@code tokenTimeMs} per
 * iteration). {@code line} is the 1-based data row in the file (the header not counted).
 */
public record SplitwiseRow(int line, String model, String hardware, int tensorParallel, int batchSize,
    int promptSize, int tokenSize, double promptTimeMs, double tokenTimeMs) {

  private static final String[] COLUMNS = {"model", "hardware", "prompt_size", "batch_size", "token_size",
      "prompt_time", "token_time", "tensor_parallel"};

  /** Every row of the table, in file order (duplicates kept: they are repeated measurements). */
  public static List<SplitwiseRow> read(Path csv) {
    List<Map<String, String>> raw = CsvRows.read(csv);
    if (!raw.isEmpty()) {
      for (String column : COLUMNS) {
        if (!raw.get(0).containsKey(column)) {
          throw new IllegalArgumentException(csv + ": no column " + column + "; a Splitwise perf table has "
              + String.join(", ", COLUMNS));
        }
      }
    }
    List<SplitwiseRow> rows = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Map<String, String> r = raw.get(i);
      rows.add(new SplitwiseRow(i + 1, text(r, "model", csv, i), text(r, "hardware", csv, i),
          count(r, "tensor_parallel", csv, i), count(r, "batch_size", csv, i),
          count(r, "prompt_size", csv, i), count(r, "token_size", csv, i),
          CsvRows.number(r, "prompt_time", csv, i), CsvRows.number(r, "token_time", csv, i)));
    }
    return rows;
  }

  /** Context of the decode iteration the row's token_time stands for: the middle of the generation. */
  public long decodeContext() {
    return promptSize + tokenSize / 2;
  }

  private static String text(Map<String, String> row, String column, Path csv, int index) {
    String text = row.get(column);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(csv + " row " + (index + 1) + ": column " + column + " is empty or missing");
    }
    return text.trim();
  }

  private static int count(Map<String, String> row, String column, Path csv, int index) {
    double v = CsvRows.number(row, column, csv, index);
    if (v < 1 || v != Math.rint(v)) {
      throw new IllegalArgumentException(csv + " row " + (index + 1) + ": column " + column
          + " is not a positive whole number: " + row.get(column));
    }
    return (int) v;
  }
}
