package dev.tokentherm.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * JSON Schema (draft 2020-12) of a configuration record, derived from the same annotations the
 * binder enforces: types, required keys, defaults, {@link OneOf} and {@link OneOfCatalog} enums, {@link Range} bounds,
 * {@link MinSize}, {@link Doc} descriptions, and no keys besides the known ones. Editors use it
 * for completion and checks while a scenario is written. The text is stable: properties in
 * declaration order, definitions by name, two-space indent, "\n" line ends and a final newline.
 */
public final class JsonSchemaWriter {
  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  private final JsonNodeFactory json = JsonNodeFactory.instance;
  private final RecordShape.Cache shapes;
  private final YamlReader reader = new YamlReader();
  private final Class<?> root;
  private final Map<Class<?>, String> definitionNames = new HashMap<>();
  private final Map<String, ObjectNode> definitions = new TreeMap<>();

  private JsonSchemaWriter(Class<?> root, Catalog catalog) {
    this.root = root;
    this.shapes = new RecordShape.Cache(catalog);
  }

  /** The schema of a record type as text, titled with the record's simple name. */
  public static String schemaOf(Class<? extends Record> type) {
    return schemaOf(type, Catalog.installed());
  }

  /** The schema, its {@link OneOfCatalog} fields' names and lines taken from {@code catalog}. */
  public static String schemaOf(Class<? extends Record> type, Catalog catalog) {
    return new JsonSchemaWriter(type, catalog).write();
  }

  private String write() {
    ObjectNode schema = json.objectNode();
    schema.put("$schema", DRAFT);
    schema.put("title", root.getSimpleName());
    schema.setAll(recordSchema(root));
    if (!definitions.isEmpty()) {
      schema.putObject("$defs").setAll(definitions);
    }
    return print(schema);
  }

  private ObjectNode recordSchema(Class<?> type) {
    ObjectNode schema = json.objectNode();
    Doc doc = type.getAnnotation(Doc.class);
    if (doc != null) {
      schema.put("description", doc.value());
    }
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    List<String> required = new ArrayList<>();
    for (FieldSpec field : shapes.of(type).fields()) {
      properties.set(field.key(), propertySchema(field));
      if (field.required()) {
        required.add(field.key());
      }
    }
    if (!required.isEmpty()) {
      ArrayNode names = schema.putArray("required");
      required.forEach(names::add);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private ObjectNode propertySchema(FieldSpec field) {
    ObjectNode schema = json.objectNode();
    if (field.doc() != null) {
      schema.put("description", field.doc());
    }
    schema.setAll(typeSchema(field.type(), field.constraints()));
    if (field.defaultYaml() != null) {
      schema.set("default", defaultValue(field));
    }
    return schema;
  }

  private ObjectNode typeSchema(Type type, FieldSpec.Constraints constraints) {
    ObjectNode schema = json.objectNode();
    Class<?> raw = Types.raw(type);
    if (Types.isList(type)) {
      ObjectNode items = typeSchema(Types.elementType(type), constraints.forElements());
      if (constraints.oneOrMore() && items.has("type")) { // one value, or a list of them
        schema.putArray("type").add(items.get("type").asText()).add("array");
      } else {
        schema.put("type", "array");
      }
      schema.set("items", items);
      if (constraints.minSize() != null) {
        schema.put("minItems", constraints.minSize().value());
      }
    } else if (Types.isMap(type)) {
      schema.put("type", "object");
      schema.set("additionalProperties",
          typeSchema(Types.elementType(type), constraints.forElements()));
    } else if (raw.isRecord()) {
      schema.put("$ref", reference(raw));
    } else if (Types.isWhole(raw) || Types.isDecimal(raw)) {
      schema.put("type", Types.isWhole(raw) ? "integer" : "number");
      addBounds(schema, constraints.range());
    } else if (Types.isBoolean(raw)) {
      schema.put("type", "boolean");
    } else if (raw == String.class) {
      schema.put("type", "string");
      if (constraints.oneOf() != null) {
        ArrayNode values = schema.putArray("enum");
        for (String value : constraints.oneOf()) {
          values.add(value);
        }
      }
    } else {
      throw new IllegalArgumentException("unsupported configuration type " + type);
    }
    return schema;
  }

  private void addBounds(ObjectNode schema, Range range) {
    if (range == null) {
      return;
    }
    if (range.min() != Double.NEGATIVE_INFINITY) {
      schema.set(range.minExclusive() ? "exclusiveMinimum" : "minimum", number(range.min()));
    }
    if (range.max() != Double.POSITIVE_INFINITY) {
      schema.set(range.maxExclusive() ? "exclusiveMaximum" : "maximum", number(range.max()));
    }
  }

  /** "#/$defs/Name", defining the record on first use; a name taken by another type is prefixed. */
  private String reference(Class<?> type) {
    if (type == root) {
      return "#";
    }
    String name = definitionNames.get(type);
    if (name == null) {
      name = type.getSimpleName();
      for (Class<?> outer = type.getEnclosingClass(); definitions.containsKey(name)
          && outer != null; outer = outer.getEnclosingClass()) {
        name = outer.getSimpleName() + name;
      }
      for (int n = 2; definitions.containsKey(name); n++) {
        name = type.getSimpleName() + n; // same simple name in another package
      }
      definitionNames.put(type, name);
      definitions.put(name, json.objectNode()); // reserve the name before recursing
      definitions.put(name, recordSchema(type));
    }
    return "#/$defs/" + name;
  }

  private JsonNode defaultValue(FieldSpec field) {
    try {
      List<ConfigError> problems = new ArrayList<>();
      Optional<YamlNode> node = reader.readAt(field.defaultYaml(), Position.of("@Default"),
          problems);
      if (node.isEmpty() || !problems.isEmpty()) {
        throw new IllegalStateException("unusable @Default of " + field.key());
      }
      return toJson(node.get());
    } catch (ConfigException e) {
      throw new IllegalStateException("malformed @Default of " + field.key(), e);
    }
  }

  private JsonNode toJson(YamlNode node) {
    if (node instanceof YamlNode.Mapping mapping) {
      ObjectNode object = json.objectNode();
      mapping.entries().forEach((key, entry) -> object.set(key, toJson(entry.value())));
      return object;
    }
    if (node instanceof YamlNode.Sequence sequence) {
      ArrayNode array = json.arrayNode();
      sequence.items().forEach(item -> array.add(toJson(item)));
      return array;
    }
    YamlNode.Scalar scalar = (YamlNode.Scalar) node;
    return switch (scalar.kind()) {
      case INTEGER -> json.numberNode((BigInteger) scalar.value());
      case DECIMAL -> json.numberNode(scalar.doubleValue());
      case BOOLEAN -> json.booleanNode((Boolean) scalar.value());
      case NULL -> json.nullNode();
      default -> json.textNode(scalar.text());
    };
  }

  private JsonNode number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? json.numberNode((long) x)
        : json.numberNode(x);
  }

  /** A schema as committed under schemas/: two-space indent, "key": value, a final newline. */
  public static String print(JsonNode schema) {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator(""))
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
    try {
      return new ObjectMapper().writer(printer).writeValueAsString(schema) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
