package dev.tokentherm.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * summary.json flattened to dotted keys, one cell per metric, in the file's key order:
 * {@code latency.ttft_ms.p99}, {@code kv.deployments[0].budget_gb_per_gpu},
 * {@code by_deployment.chat.gpu_j}. Numbers keep the decimal the file holds (never re-rounded), written plain;
 * booleans are 1 or 0 (so their mean is a share); a null (a metric the run does not have, NaN)
 * is an empty cell. {@code run.status} is kept as text; other text, lists of text and the top
 * {@code scenario} and {@code seed} keys (which name the run, not measure it) are left out.
 */
public final class SummaryCells {
  /** The one text cell kept: how the run ended (ok, stalled, unstable, …). */
  public static final String STATUS = "run.status";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private SummaryCells() {}

  /** The cells of a summary.json file. */
  public static Map<String, String> read(Path summaryJson) throws IOException {
    return of(JSON.readTree(summaryJson.toFile()));
  }

  /** The cells of summary.json's text. */
  public static Map<String, String> parse(String text) throws IOException {
    return of(JSON.readTree(text));
  }

  /** The cells of a summary tree. */
  public static Map<String, String> of(JsonNode summary) {
    Map<String, String> cells = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("scenario") && !e.getKey().equals("seed")) {
        add(cells, e.getKey(), e.getValue());
      }
    }
    return cells;
  }

  private static void add(Map<String, String> cells, String key, JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        add(cells, key + "." + e.getKey(), e.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isContainerNode()) {
          add(cells, key + "[" + i + "]", node.get(i));
        }
      }
    } else if (node.isNumber()) {
      cells.put(key, node.decimalValue().toPlainString());
    } else if (node.isBoolean()) {
      cells.put(key, node.booleanValue() ? "1" : "0");
    } else if (node.isNull()) {
      cells.put(key, "");
    } else if (key.equals(STATUS)) {
      cells.put(key, node.asText());
    }
  }

  /** A cell as a number: NaN for an empty or text cell. */
  public static double value(String cell) {
    if (cell == null || cell.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
