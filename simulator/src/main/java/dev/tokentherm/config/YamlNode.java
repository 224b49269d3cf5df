package dev.tokentherm.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML tree whose every node knows where it was written, so that errors found while binding
 * (or long after) can name a line and column. Mappings keep the order of the file.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  Position position();

  /** How the node reads in "got ..." messages: {@code "two"}, {@code 2.5}, {@code a list}. */
  String describe();

  /** A mapping; changed only while it is read and while {@code --set} options are applied. */
  final class Mapping implements YamlNode {
    /** A key's own position (for unknown-key errors) and its value. */
    record Entry(Position keyPosition, YamlNode value) {}

    private final Position position;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    Mapping(Position position) {
      this.position = position;
    }

    @Override
    public Position position() {
      return position;
    }

    Map<String, Entry> entries() {
      return entries;
    }

    YamlNode get(String key) {
      Entry entry = entries.get(key);
      return entry == null ? null : entry.value();
    }

    /** Sets the value of a key, keeping the key's position when it was already there. */
    void put(String key, Position keyPosition, YamlNode value) {
      Entry old = entries.get(key);
      entries.put(key, new Entry(old == null ? keyPosition : old.keyPosition(), value));
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A list. */
  final class Sequence implements YamlNode {
    private final Position position;
    private final List<YamlNode> items = new ArrayList<>();

    Sequence(Position position) {
      this.position = position;
    }

    @Override
    public Position position() {
      return position;
    }

    List<YamlNode> items() {
      return items;
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A scalar with its text as written ({@code 1_000}, {@code yes}) and, unless it is text, its
   * value: {@link BigInteger} for whole numbers, {@link Double} for other numbers, {@link Boolean}.
   */
  record Scalar(Position position, Kind kind, String text, Object value) implements YamlNode {
    enum Kind {
      STRING, INTEGER, DECIMAL, BOOLEAN, NULL,
      /** Already reported while reading (e.g. an alias); binding adds no error of its own. */
      INVALID
    }

    static Scalar of(Position position, Kind kind, String text) {
      return new Scalar(position, kind, text, null);
    }

    boolean isNull() {
      return kind == Kind.NULL;
    }

    boolean isNumber() {
      return kind == Kind.INTEGER || kind == Kind.DECIMAL;
    }

    /** The value of a number scalar as a double. */
    double doubleValue() {
      return ((Number) value).doubleValue();
    }

    @Override
    public String describe() {
      return switch (kind) {
        case STRING -> quoted(text);
        case NULL -> "nothing";
        default -> text;
      };
    }

    private static String quoted(String s) {
      String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
      return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
  }
}
