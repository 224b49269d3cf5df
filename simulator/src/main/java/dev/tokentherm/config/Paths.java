package dev.tokentherm.config;

/** Field paths as users write them: keys joined by dots, list indices in brackets. */
final class Paths {
  private Paths() {}

  static String key(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** Joins a path relative to a record ("deployments[0].name", or "" for the record itself). */
  static String relative(String parent, String relative) {
    if (relative.isEmpty()) {
      return parent;
    }
    return relative.startsWith("[") ? parent + relative : key(parent, relative);
  }

  /** The path one step up ("a.b[2]" → "a.b", "a.b" → "a", "a" → ""). */
  static String parent(String path) {
    if (path.endsWith("]")) {
      int open = path.lastIndexOf('[');
      if (open >= 0) {
        return path.substring(0, open);
      }
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }
}
