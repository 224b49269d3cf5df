package dev.tokentherm.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with the position of every node, using the Jackson
 * YAML parser token by token (a Jackson JsonNode tree would lose the positions).
 */
final class YamlReader {
  // An empty plain value ("key:") is null; a quoted '' stays an empty string.
  private final YAMLFactory factory =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  /**
   * Reads one document. Problems that still leave a usable tree (duplicate keys, aliases) are added
   * to {@code errors}; malformed YAML throws at once.
   *
   * @return the root node, or empty when the text has no content (nothing, or only comments)
   */
  Optional<YamlNode> read(String text, String source, List<ConfigError> errors)
      throws ConfigException {
    return new TreeBuilder(source, null, errors).readDocument(text);
  }

  /**
   * Reads a short text (a default, a {@code --set} value) whose nodes all take one position.
   *
   * @return the root node, or empty when the text has no content
   */
  Optional<YamlNode> readAt(String text, Position position, List<ConfigError> errors)
      throws ConfigException {
    return new TreeBuilder(position.source(), position, errors).readDocument(text);
  }

  /** State of one read. */
  private final class TreeBuilder {
    private final String source;
    private final Position fixedPosition;
    private final List<ConfigError> errors;
    private YAMLParser parser;

    TreeBuilder(String source, Position fixedPosition, List<ConfigError> errors) {
      this.source = source;
      this.fixedPosition = fixedPosition;
      this.errors = errors;
    }

    Optional<YamlNode> readDocument(String text) throws ConfigException {
      try (YAMLParser p = factory.createParser(text)) {
        parser = p;
        JsonToken first = parser.nextToken();
        if (first == null) {
          return Optional.empty();
        }
        YamlNode root = readNode(first, "");
        if (parser.nextToken() != null) {
          errors.add(ConfigError.at(tokenPosition(), "",
              "a second YAML document starts here; allowed: one document per file"));
        }
        return Optional.of(root);
      } catch (JacksonException e) {
        throw new ConfigException(malformed(e));
      } catch (IOException e) {
        throw new ConfigException(ConfigError.inSource(source, "cannot read: " + e.getMessage()));
      }
    }

    private YamlNode readNode(JsonToken token, String path) throws IOException {
      Position position = tokenPosition();
      if (parser.isCurrentAlias()) {
        errors.add(ConfigError.at(position, path,
            "aliases (*" + parser.getText() + ") are not supported; write the value out"));
        return YamlNode.Scalar.of(position, YamlNode.Scalar.Kind.INVALID, parser.getText());
      }
      return switch (token) {
        case START_OBJECT -> readMapping(position, path);
        case START_ARRAY -> readSequence(position, path);
        case VALUE_NUMBER_INT -> number(position, true);
        case VALUE_NUMBER_FLOAT -> number(position, false);
        case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(position,
            YamlNode.Scalar.Kind.BOOLEAN, parser.getText(), token == JsonToken.VALUE_TRUE);
        case VALUE_NULL -> YamlNode.Scalar.of(position, YamlNode.Scalar.Kind.NULL, "");
        default -> YamlNode.Scalar.of(position, YamlNode.Scalar.Kind.STRING, parser.getText());
      };
    }

    private YamlNode readMapping(Position position, String path) throws IOException {
      YamlNode.Mapping mapping = new YamlNode.Mapping(position);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        Position keyPosition = tokenPosition();
        String keyPath = Paths.key(path, key);
        YamlNode value = readNode(parser.nextToken(), keyPath);
        YamlNode.Mapping.Entry first = mapping.entries().get(key);
        if (first != null) {
          errors.add(ConfigError.at(keyPosition, keyPath, "appears twice (first at line "
              + first.keyPosition().line() + "); each key may appear once"));
        } else {
          mapping.put(key, keyPosition, value);
        }
      }
      return mapping;
    }

    private YamlNode readSequence(Position position, String path) throws IOException {
      YamlNode.Sequence sequence = new YamlNode.Sequence(position);
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        sequence.items().add(readNode(token, Paths.index(path, sequence.items().size())));
      }
      return sequence;
    }

    private YamlNode number(Position position, boolean whole) throws IOException {
      String text = parser.getText();
      try {
        if (whole) {
          return new YamlNode.Scalar(position, YamlNode.Scalar.Kind.INTEGER, text,
              parser.getBigIntegerValue());
        }
        double value = parser.getDoubleValue();
        if (Double.isFinite(value)) {
          return new YamlNode.Scalar(position, YamlNode.Scalar.Kind.DECIMAL, text, value);
        }
      } catch (JacksonException e) {
        // .inf, .nan and other spellings Jackson cannot convert: keep them as text
      }
      return YamlNode.Scalar.of(position, YamlNode.Scalar.Kind.STRING, text);
    }

    private Position tokenPosition() {
      if (fixedPosition != null) {
        return fixedPosition;
      }
      JsonLocation location = parser.currentTokenLocation();
      return new Position(source, location.getLineNr(), location.getColumnNr());
    }

    /** One line with the parser's position and its short reason, not Jackson's excerpt. */
    private ConfigError malformed(JacksonException e) {
      MarkedYAMLException marked = findMarked(e);
      Position position;
      String reason;
      if (marked != null && marked.getProblemMark() != null) {
        Mark mark = marked.getProblemMark();
        position = new Position(source, mark.getLine() + 1, mark.getColumn() + 1);
        reason = marked.getProblem();
        Mark context = marked.getContextMark();
        if (marked.getContext() != null && context != null) {
          reason += " (" + marked.getContext() + " that starts at " + (context.getLine() + 1)
              + ":" + (context.getColumn() + 1) + ")";
        }
      } else {
        JsonLocation location = e.getLocation();
        position = location == null ? Position.of(source)
            : new Position(source, location.getLineNr(), location.getColumnNr());
        reason = e.getOriginalMessage();
      }
      if (fixedPosition != null) {
        position = fixedPosition;
      }
      String firstLine = reason == null ? "unreadable" : reason.strip().lines().findFirst().orElse("");
      if (firstLine.startsWith("Expected a field name")) {
        firstLine = "a key must be plain text, not a list or mapping"; // Jackson names events
      }
      return ConfigError.at(position, "", "malformed YAML: " + firstLine);
    }

    private MarkedYAMLException findMarked(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof MarkedYAMLException m) {
          return m;
        }
      }
      return null;
    }
  }
}
