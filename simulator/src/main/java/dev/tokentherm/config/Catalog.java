package dev.tokentherm.config;

import java.util.List;

/**
 * Names a text field may take that are defined outside the records, by kind (the policies of
 * {@code registry.PolicyRegistry}: "router", "batch-policy", ...). A field marked
 * {@link OneOfCatalog} takes its allowed values, and the start of its description, from here; the
 * binder and the schema writer are given a catalog, or use the {@link #installed} one.
 */
public interface Catalog {
  /** The names of a kind, in order, or null when the catalog has no such kind. */
  List<String> names(String kind);

  /** One line saying what a name of a kind does. */
  String description(String kind, String name);

  /** A catalog of no kinds. */
  Catalog EMPTY = new Catalog() {
    @Override
    public List<String> names(String kind) {
      return null;
    }

    @Override
    public String description(String kind, String name) {
      return null;
    }
  };

  /**
   * The catalog this program ships (META-INF/services names it), found once; immutable, so no
   * test's registrations leak into another's: a test wanting more passes its own catalog.
   */
  static Catalog installed() {
    return InstalledCatalog.CATALOG;
  }
}
