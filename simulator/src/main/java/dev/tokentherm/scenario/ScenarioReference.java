package dev.tokentherm.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * The scenario reference table of the README (every key, its type, default, allowed values and
 * meaning), generated from the JSON Schema so the two never drift apart.
 */
public final class ScenarioReference {
  private ScenarioReference() {}

  public static String markdown() {
    JsonNode schema;
    try {
      schema = new ObjectMapper().readTree(ScenarioSchemas.scenarioSchema());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the generated schema is JSON", e);
    }
    StringBuilder out = new StringBuilder("| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n");
    walk(schema, schema.path("$defs"), "", out);
    return out.toString();
  }

  private static void walk(JsonNode node, JsonNode defs, String prefix, StringBuilder out) {
    JsonNode type = resolve(node, defs);
    JsonNode required = type.path("required");
    for (Iterator<Map.Entry<String, JsonNode>> it = type.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode field = e.getValue();
      JsonNode target = resolve(field, defs);
      JsonNode typeNode = field.has("type") ? field.get("type") : target.get("type");
      String kind = typeNode == null ? "object" : typeNode.isArray() ? join(typeNode) : typeNode.asText();
      boolean isRequired = false;
      for (JsonNode r : required) {
        isRequired |= r.asText().equals(e.getKey());
      }
      JsonNode dflt = field.has("default") ? field.get("default") : target.get("default");
      String dfltText = isRequired ? "required" : dflt == null ? "" : "`" + dflt + "`";
      out.append("| `").append(key).append("` | ").append(kind).append(" | ").append(dfltText)
          .append(" | ").append(allowed(field, target)).append(" | ")
          .append(field.path("description").asText(target.path("description").asText())).append(" |\n");
      if (target.has("properties")) {
        walk(target, defs, key + ".", out);
      }
      JsonNode items = field.has("items") ? field.get("items") : target.get("items");
      if (items != null && resolve(items, defs).has("properties")) {
        walk(items, defs, key + "[].", out);
      }
    }
  }

  /** A type that may be one of several, as {@code string or array}. */
  private static String join(JsonNode types) {
    StringBuilder b = new StringBuilder();
    for (JsonNode t : types) {
      b.append(b.length() > 0 ? " or " : "").append(t.asText());
    }
    return b.toString();
  }

  private static String allowed(JsonNode field, JsonNode target) {
    StringBuilder b = new StringBuilder();
    JsonNode en = field.has("enum") ? field.get("enum") : target.get("enum");
    if (en != null) {
      for (JsonNode v : en) {
        b.append(b.length() == 0 ? "" : " \\| ").append(v.asText());
      }
    }
    String[][] bounds = {{"minimum", "≥"}, {"exclusiveMinimum", ">"}, {"maximum", "≤"}, {"exclusiveMaximum", "<"}};
    for (String[] bound : bounds) {
      JsonNode v = field.has(bound[0]) ? field.get(bound[0]) : target.get(bound[0]);
      if (v != null) {
        b.append(b.length() == 0 ? "" : ", ").append(bound[1]).append(' ').append(v.asText());
      }
    }
    return b.toString();
  }

  private static JsonNode resolve(JsonNode node, JsonNode defs) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : defs.path(ref.asText().substring("#/$defs/".length()));
  }
}
