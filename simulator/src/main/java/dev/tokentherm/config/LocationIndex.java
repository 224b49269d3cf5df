package dev.tokentherm.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The position of every value of a configuration by field path ("deployments[0].model"), taken
 * after {@code --set} options were applied, so that checks made after binding can still say
 * where a value was written.
 */
public final class LocationIndex {
  private final Map<String, Position> positions;

  private LocationIndex(Map<String, Position> positions) {
    this.positions = positions;
  }

  static LocationIndex of(YamlNode root) {
    Map<String, Position> positions = new HashMap<>();
    add(positions, "", root);
    return new LocationIndex(positions);
  }

  private static void add(Map<String, Position> positions, String path, YamlNode node) {
    positions.put(path, node.position());
    if (node instanceof YamlNode.Mapping mapping) {
      mapping.entries().forEach((key, entry) -> add(positions, Paths.key(path, key), entry.value()));
    } else if (node instanceof YamlNode.Sequence sequence) {
      for (int i = 0; i < sequence.items().size(); i++) {
        add(positions, Paths.index(path, i), sequence.items().get(i));
      }
    }
  }

  /** The position of the value at this path, when the file (or a --set) wrote it. */
  public Optional<Position> exact(String path) {
    return Optional.ofNullable(positions.get(path));
  }

  /**
   * The position of the value at this path or, when it was not written (a default), of the
   * nearest enclosing value that was; the top-level mapping at worst.
   */
  public Position nearest(String path) {
    String p = path;
    while (!positions.containsKey(p) && !p.isEmpty()) {
      p = Paths.parent(p);
    }
    return positions.get(p);
  }
}
