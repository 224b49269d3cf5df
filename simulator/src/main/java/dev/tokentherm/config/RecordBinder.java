package dev.tokentherm.config;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a {@link YamlNode} tree to records, collecting every error instead of stopping at the
 * first. A record is validated ({@link Validatable}) only once all of its fields bound cleanly,
 * so its rules may rely on their types and annotations.
 */
final class RecordBinder {
  /** Marks a value that could not be bound; its errors are already collected. */
  private static final Object FAILED = new Object();

  private final YamlReader reader;
  private final LocationIndex locations;
  private final RecordShape.Cache shapes;
  private final Allowed allowed;
  private final List<ConfigError> errors;

  RecordBinder(YamlReader reader, LocationIndex locations, RecordShape.Cache shapes,
      List<ConfigError> errors) {
    this.reader = reader;
    this.locations = locations;
    this.shapes = shapes;
    this.allowed = new Allowed(shapes);
    this.errors = errors;
  }

  /** The bound record, or empty when errors were collected. */
  <T> Optional<T> bindRoot(Class<T> type, YamlNode.Mapping root) {
    int before = errors.size();
    Object value = bindRecord(type, root, "");
    return value == FAILED || errors.size() > before ? Optional.empty()
        : Optional.of(type.cast(value));
  }

  private Object bind(Type type, YamlNode node, String path, FieldSpec.Constraints constraints) {
    if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.INVALID) {
      return FAILED;
    }
    Class<?> raw = Types.raw(type);
    if (Types.isList(type)) {
      return bindList(type, node, path, constraints);
    }
    if (Types.isMap(type)) {
      return bindMap(type, node, path, constraints);
    }
    if (raw.isRecord()) {
      return bindRecord(raw, node, path);
    }
    if (!(node instanceof YamlNode.Scalar scalar) || scalar.isNull()) {
      return typeError(node, path, expected(raw), type, constraints);
    }
    if (Types.isWhole(raw)) {
      return bindWhole(scalar, path, type, constraints);
    }
    if (Types.isDecimal(raw)) {
      return bindDecimal(scalar, path, type, constraints);
    }
    if (Types.isBoolean(raw)) {
      return scalar.kind() == YamlNode.Scalar.Kind.BOOLEAN ? scalar.value()
          : typeError(node, path, expected(raw), type, constraints);
    }
    if (raw == String.class) {
      return bindString(scalar, path, constraints);
    }
    throw new IllegalArgumentException("unsupported configuration type " + type + " at " + path);
  }

  private Object bindRecord(Class<?> type, YamlNode node, String path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      if (type == Sourced.class && node instanceof YamlNode.Scalar s && s.isNumber()) {
        return error(node.position(), path, s.text() + " has no source; write {value: " + s.text()
            + ", source: \"measured | spec | estimate, and where from\"}");
      }
      return typeError(node, path, "a mapping", type, FieldSpec.Constraints.NONE);
    }
    RecordShape shape = shapes.of(type);
    boolean failed = false;
    for (Map.Entry<String, YamlNode.Mapping.Entry> entry : mapping.entries().entrySet()) {
      if (shape.field(entry.getKey()) == null) {
        error(entry.getValue().keyPosition(), Paths.key(path, entry.getKey()),
            "unknown field; " + DidYouMean.hint(entry.getKey(), shape.keys()));
        failed = true;
      }
    }
    List<FieldSpec> fields = shape.fields();
    Object[] arguments = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Object value = bindField(fields.get(i), mapping, path);
      failed |= value == FAILED;
      arguments[i] = value;
    }
    if (failed) {
      return FAILED;
    }
    Object record;
    try {
      record = shape.construct(arguments);
    } catch (IllegalArgumentException e) {
      return error(mapping.position(), path, "is not valid: " + e.getMessage());
    }
    return validate(record, path) ? record : FAILED;
  }

  private Object bindField(FieldSpec field, YamlNode.Mapping mapping, String recordPath) {
    String path = Paths.key(recordPath, field.key());
    YamlNode node = mapping.get(field.key());
    boolean absent = node == null || (node instanceof YamlNode.Scalar s && s.isNull());
    if (!absent) {
      return bind(field.type(), node, path, field.constraints());
    }
    if (node != null && field.defaultYaml() != null) {
      // an explicit null (replicas: null, often an unset variable) is not a silent default
      return error(node.position(), path, "has no value (null); allowed: "
          + describeForMissing(field) + ", or leave the key out for the default "
          + field.defaultYaml());
    }
    if (field.defaultYaml() != null) {
      return bind(field.type(), defaultNode(field, mapping.position()), path,
          field.constraints());
    }
    if (field.required()) {
      String what = node == null ? "required field is missing" : "has no value";
      return error(node == null ? mapping.position() : node.position(), path,
          what + "; allowed: " + describeForMissing(field));
    }
    return null;
  }

  // "text" alone says little: a missing text field also says what the text is for
  private String describeForMissing(FieldSpec field) {
    String description = allowed.of(field.type(), field.constraints());
    return description.equals("text") && field.doc() != null
        ? "text — " + field.doc() : description;
  }

  /** The default of a field as a tree placed where the enclosing mapping is. */
  private YamlNode defaultNode(FieldSpec field, Position at) {
    try {
      List<ConfigError> problems = new ArrayList<>();
      Optional<YamlNode> node = reader.readAt(field.defaultYaml(), at, problems);
      if (node.isEmpty() || !problems.isEmpty()) {
        throw new IllegalStateException("unusable @Default(\"" + field.defaultYaml() + "\") of "
            + field.key() + ": " + problems);
      }
      return node.get();
    } catch (ConfigException e) {
      throw new IllegalStateException("malformed @Default(\"" + field.defaultYaml() + "\") of "
          + field.key() + ": " + e.getMessage(), e);
    }
  }

  /** Runs the record's own rules; false when it reported any. */
  private boolean validate(Object record, String path) {
    if (!(record instanceof Validatable validatable)) {
      return true;
    }
    int before = errors.size();
    validatable.validate((field, message) -> {
      String fieldPath = Paths.relative(path, field);
      errors.add(ConfigError.at(locations.nearest(fieldPath), fieldPath, message));
    });
    return errors.size() == before;
  }

  private Object bindList(Type type, YamlNode node, String path,
      FieldSpec.Constraints constraints) {
    Type elementType = Types.elementType(type);
    if (constraints.oneOrMore() && node instanceof YamlNode.Scalar) {
      Object value = bind(elementType, node, path, constraints.forElements());
      return value == FAILED ? FAILED : List.of(value);
    }
    if (!(node instanceof YamlNode.Sequence sequence)) {
      return typeError(node, path, constraints.oneOrMore() ? "a value or a list" : "a list", type, constraints);
    }
    List<Object> values = new ArrayList<>();
    boolean failed = false;
    for (int i = 0; i < sequence.items().size(); i++) {
      Object value = bind(elementType, sequence.items().get(i), Paths.index(path, i),
          constraints.forElements());
      failed |= value == FAILED;
      values.add(value);
    }
    int least = constraints.minSize() == null ? 0 : constraints.minSize().value();
    if (values.size() < least) {
      return error(node.position(), path, "has " + values.size() + " entries; allowed: at least "
          + least);
    }
    return failed ? FAILED : Collections.unmodifiableList(values);
  }

  private Object bindMap(Type type, YamlNode node, String path,
      FieldSpec.Constraints constraints) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return typeError(node, path, "a mapping", type, constraints);
    }
    Type valueType = Types.elementType(type);
    Map<String, Object> values = new LinkedHashMap<>();
    boolean failed = false;
    for (Map.Entry<String, YamlNode.Mapping.Entry> entry : mapping.entries().entrySet()) {
      Object value = bind(valueType, entry.getValue().value(), Paths.key(path, entry.getKey()),
          constraints.forElements());
      failed |= value == FAILED;
      values.put(entry.getKey(), value);
    }
    return failed ? FAILED : Collections.unmodifiableMap(values);
  }

  private Object bindWhole(YamlNode.Scalar scalar, String path, Type type,
      FieldSpec.Constraints constraints) {
    if (!scalar.isNumber()) {
      return typeError(scalar, path, "a whole number", type, constraints);
    }
    BigInteger value;
    if (scalar.kind() == YamlNode.Scalar.Kind.INTEGER) {
      value = (BigInteger) scalar.value();
    } else {
      BigDecimal decimal = BigDecimal.valueOf(scalar.doubleValue());
      if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
        return typeError(scalar, path, "a whole number", type, constraints);
      }
      value = decimal.toBigInteger(); // 2.0 or 1e3 are whole numbers
    }
    boolean isInt = Types.isInt(Types.raw(type));
    BigInteger min = BigInteger.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
    BigInteger max = BigInteger.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      return error(scalar.position(), path, scalar.text() + " is out of range; allowed: "
          + allowed.of(type, constraints, true));
    }
    if (!inRange(value.doubleValue(), constraints.range())) {
      return outOfRange(scalar, path, type, constraints);
    }
    return isInt ? (Object) value.intValue() : (Object) value.longValue();
  }

  private Object bindDecimal(YamlNode.Scalar scalar, String path, Type type,
      FieldSpec.Constraints constraints) {
    if (!scalar.isNumber()) {
      return typeError(scalar, path, "a number", type, constraints);
    }
    double value = scalar.doubleValue();
    if (!Double.isFinite(value)) {
      return error(scalar.position(), path, scalar.text() + " is too large; allowed: "
          + allowed.of(type, constraints));
    }
    return inRange(value, constraints.range()) ? (Object) value
        : outOfRange(scalar, path, type, constraints);
  }

  private Object bindString(YamlNode.Scalar scalar, String path,
      FieldSpec.Constraints constraints) {
    // name: 2024 or version: 1.10 mean the text as written
    String text = scalar.text();
    List<String> values = constraints.oneOf();
    if (values != null && !values.contains(text)) {
      String hint = DidYouMean.closest(text, values).map(v -> "did you mean '" + v + "'? ")
          .orElse("");
      return error(scalar.position(), path, "unknown value '" + text + "'; " + hint
          + "allowed: " + String.join(", ", values));
    }
    return text;
  }

  private static boolean inRange(double x, Range range) {
    if (range == null) {
      return true;
    }
    boolean aboveMin = range.minExclusive() ? x > range.min() : x >= range.min();
    boolean belowMax = range.maxExclusive() ? x < range.max() : x <= range.max();
    return aboveMin && belowMax;
  }

  private Object outOfRange(YamlNode.Scalar scalar, String path, Type type,
      FieldSpec.Constraints constraints) {
    return error(scalar.position(), path, scalar.text() + " is out of range; allowed: "
        + allowed.of(type, constraints));
  }

  private static String expected(Class<?> raw) {
    if (Types.isWhole(raw)) {
      return "a whole number";
    }
    if (Types.isDecimal(raw)) {
      return "a number";
    }
    return Types.isBoolean(raw) ? "true or false" : "text";
  }

  private Object typeError(YamlNode node, String path, String expected, Type type,
      FieldSpec.Constraints constraints) {
    return error(node.position(), path, "expected " + expected + ", got " + node.describe()
        + "; allowed: " + allowed.of(type, constraints));
  }

  private Object error(Position position, String path, String message) {
    errors.add(ConfigError.at(position, path, message));
    return FAILED;
  }
}
