package dev.tokentherm.config;

/**
 * Where a value came from: a file with a 1-based line and column, or a source without lines such
 * as a {@code --set} option (line 0).
 */
public record Position(String source, int line, int column) {

  /** A source without lines, e.g. {@code --set seed=7}. */
  public static Position of(String source) {
    return new Position(source, 0, 0);
  }

  public boolean hasLine() {
    return line > 0;
  }

  /** {@code file:line:column}, or just the source when it has no lines. */
  @Override
  public String toString() {
    return hasLine() ? source + ":" + line + ":" + column : source;
  }
}
