package dev.tokentherm.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assumptions of a run, from assumptions.json: each deployment (model, stack, parallelism,
 * policies) and each resolved profile (GPU, node, model, stack), every field as a row; a
 * calibrated figure (an object {@code {value, source}}) shows its source beside it.
 */
public final class AssumptionTables {
  private AssumptionTables() {}

  public static List<Table> of(JsonNode assumptions) {
    List<Table> tables = new ArrayList<>();
    if (assumptions == null) {
      return tables;
    }
    int i = 0;
    for (JsonNode d : assumptions.path("deployments")) {
      Table t = new Table("Deployment " + d.path("name").asText("#" + i), "field", "value");
      flatten(d, "", (path, value, source) -> t.row(path, value));
      tables.add(t);
      i++;
    }
    String[][] kinds = {{"gpus", "GPU"}, {"nodes", "Node"}, {"models", "Model"}, {"stacks", "Stack"}};
    for (String[] kind : kinds) {
      for (Map.Entry<String, JsonNode> e : assumptions.path("profiles").path(kind[0]).properties()) {
        Table t = new Table(kind[1] + " profile " + e.getKey(), "field", "value", "source");
        flatten(e.getValue(), "", t::row);
        tables.add(t);
      }
    }
    return tables;
  }

  private interface Row {
    void add(String path, String value, String source);
  }

  private static void flatten(JsonNode node, String path, Row row) {
    if (node.isObject() && node.has("value") && node.has("source") && node.size() == 2) {
      row.add(path, node.get("value").asText(), node.get("source").asText());
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), row);
      }
    } else if (node.isArray()) {
      boolean scalars = true;
      for (JsonNode n : node) {
        scalars &= n.isValueNode();
      }
      if (scalars) {
        List<String> values = new ArrayList<>();
        node.forEach(n -> values.add(n.asText()));
        row.add(path, "[" + String.join(", ", values) + "]", "");
      } else {
        for (int i = 0; i < node.size(); i++) {
          flatten(node.get(i), path + "[" + i + "]", row);
        }
      }
    } else if (!node.isNull()) {
      row.add(path, node.asText(), "");
    }
  }

  /**
   * The GPUs' thermal limits for the temperature chart: name and °C of slowdown, hw slowdown and
   * shutdown of each GPU profile (its id added when the run has several).
   */
  public static List<Chart.Mark> thermalLimits(JsonNode assumptions) {
    List<Chart.Mark> marks = new ArrayList<>();
    if (assumptions == null) {
      return marks;
    }
    JsonNode gpus = assumptions.path("profiles").path("gpus");
    for (Map.Entry<String, JsonNode> e : gpus.properties()) {
      String suffix = gpus.size() > 1 ? " (" + e.getKey() + ")" : "";
      JsonNode th = e.getValue().path("thermal");
      String[][] limits = {{"slowdown_c", "slowdown"}, {"hw_slowdown_c", "hw slowdown"}, {"shutdown_c", "shutdown"}};
      for (String[] l : limits) {
        JsonNode v = th.path(l[0]).path("value");
        if (v.isNumber()) {
          marks.add(new Chart.Mark(l[1] + " " + v.asText() + " °C" + suffix, Double.NaN, v.asDouble()));
        }
      }
    }
    return marks;
  }
}
