package dev.tokentherm.config;

/**
 * One problem in a configuration, printed as one line:
 * {@code file:line:column: field.path: what is wrong; what is allowed}.
 *
 * @param file the file (or {@code --set ...} option) the problem is in
 * @param line 1-based line, or 0 when the source has no lines
 * @param column 1-based column, or 0
 * @param path field path with dots and [i], or "" for the whole file
 * @param message what is wrong; what is allowed
 */
public record ConfigError(String file, int line, int column, String path, String message) {

  public static ConfigError at(Position position, String path, String message) {
    return new ConfigError(position.source(), position.line(), position.column(), path, message);
  }

  /** An error about a whole source, without line or field: {@code file: message}. */
  public static ConfigError inSource(String file, String message) {
    return new ConfigError(file, 0, 0, "", message);
  }

  public Position position() {
    return new Position(file, line, column);
  }

  public String format() {
    return position() + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }

  @Override
  public String toString() {
    return format();
  }
}
