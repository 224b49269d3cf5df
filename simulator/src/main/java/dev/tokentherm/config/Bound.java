package dev.tokentherm.config;

/**
 * A configuration bound to its record, with where each of its values was written, so that later
 * checks (an unknown profile id, a model that does not fit) can still name file:line:column.
 */
public record Bound<T>(T value, LocationIndex locations) {

  /** An error located at the value of {@code path}, or at its nearest written parent. */
  public ConfigError errorAt(String path, String message) {
    return ConfigError.at(locations.nearest(path), path, message);
  }

  /** Whether the file (or a --set option) wrote this path, rather than a default filling it. */
  public boolean isWritten(String path) {
    return locations.exact(path).isPresent();
  }
}
