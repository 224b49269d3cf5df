package dev.tokentherm.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.config.JsonSchemaWriter;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schema (draft 2020-12) of a result record, by the rule {@link JsonRecords} writes it with:
 * every key required unless {@link IfPresent}; doubles may be null (NaN), as may {@link KeepNull}
 * keys; no other keys. Committed as schemas/summary.schema.json; a test keeps it current and checks
 * every shipped scenario's summary.json against it. Same text layout as the scenario schemas.
 */
public final class ResultsSchema {
  /** The committed schema of summary.json, relative to the repository root. */
  public static final Path SUMMARY_FILE = Path.of("schemas", "summary.schema.json");

  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  private final JsonNodeFactory json = JsonNodeFactory.instance;
  private final Map<String, ObjectNode> definitions = new TreeMap<>();
  private final Map<Class<?>, String> names = new HashMap<>();
  private final Class<?> root;

  private ResultsSchema(Class<?> root) {
    this.root = root;
  }

  /** The schema of summary.json as text. */
  public static String summary() {
    return of(Summary.class, "summary.json of a tokentherm run (docs/DESIGN.md §8); NaN figures are null");
  }

  /** The schema of a result record as text. */
  public static String of(Class<? extends Record> type, String description) {
    ResultsSchema writer = new ResultsSchema(type);
    ObjectNode schema = writer.json.objectNode();
    schema.put("$schema", DRAFT);
    schema.put("title", type.getSimpleName());
    schema.put("description", description);
    schema.setAll(writer.record(type));
    schema.putObject("$defs").setAll(writer.definitions);
    return JsonSchemaWriter.print(schema); // the one layout of schemas/
  }

  private ObjectNode record(Class<?> type) {
    ObjectNode schema = json.objectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = json.arrayNode();
    for (RecordComponent c : type.getRecordComponents()) {
      String key = JsonRecords.key(c.getName());
      properties.set(key, value(c.getGenericType(), c.isAnnotationPresent(KeepNull.class)));
      if (!c.isAnnotationPresent(IfPresent.class)) {
        required.add(key);
      }
    }
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  private ObjectNode value(Type type, boolean nullable) {
    ObjectNode schema = json.objectNode();
    Class<?> raw = JsonRecords.raw(type);
    if (raw == double.class || raw == Double.class) {
      schema.putArray("type").add("number").add("null"); // null: not a number (NaN)
    } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
      type(schema, "integer", nullable);
    } else if (raw == boolean.class || raw == Boolean.class) {
      type(schema, "boolean", nullable);
    } else if (raw == String.class) {
      type(schema, "string", nullable);
    } else if (raw == List.class) {
      schema.put("type", "array");
      schema.set("items", value(JsonRecords.argument(type, 0), false));
    } else if (raw == Map.class) {
      schema.put("type", "object");
      schema.set("additionalProperties", value(JsonRecords.argument(type, 1), false));
    } else if (raw.isRecord()) {
      schema.put("$ref", reference(raw));
    } else {
      throw new IllegalArgumentException("no JSON form for " + type);
    }
    return schema;
  }

  private static void type(ObjectNode schema, String type, boolean nullable) {
    if (nullable) {
      schema.putArray("type").add(type).add("null");
    } else {
      schema.put("type", type);
    }
  }

  /** "#/$defs/Name", defined on first use; nested records are named Outer + Name only when needed. */
  private String reference(Class<?> type) {
    if (type == root) {
      return "#";
    }
    String name = names.get(type);
    if (name == null) {
      name = type.getSimpleName();
      for (int n = 2; definitions.containsKey(name); n++) {
        name = type.getSimpleName() + n;
      }
      names.put(type, name);
      definitions.put(name, json.objectNode()); // reserve the name before recursing
      definitions.put(name, record(type));
    }
    return "#/$defs/" + name;
  }
}
