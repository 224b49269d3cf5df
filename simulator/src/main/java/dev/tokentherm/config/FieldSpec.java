package dev.tokentherm.config;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One record component as the configuration sees it: its YAML key, its type and its annotations.
 *
 * @param key snake_case YAML key
 * @param type the generic type (List&lt;Deployment&gt;, int, ...)
 * @param required whether the key must be present
 * @param defaultYaml the {@link Default} text, or null
 * @param constraints range, allowed values and least size
 * @param doc the {@link Doc} text (after the catalog's lines for a {@link OneOfCatalog} field), or
 *     null
 */
record FieldSpec(String key, Type type, boolean required, String defaultYaml,
    Constraints constraints, String doc) {

  /** @param catalog where a {@link OneOfCatalog} field finds its names and their lines */
  static FieldSpec of(RecordComponent component, Catalog catalog) {
    Default defaultValue = component.getAnnotation(Default.class);
    boolean explicitlyRequired = component.isAnnotationPresent(Required.class);
    if (explicitlyRequired && defaultValue != null) {
      throw new IllegalStateException(component + " is both @Required and @Default");
    }
    boolean required = explicitlyRequired
        || (component.getType().isPrimitive() && defaultValue == null);
    Doc doc = component.getAnnotation(Doc.class);
    OneOfCatalog named = component.getAnnotation(OneOfCatalog.class);
    List<String> names = named == null ? null : catalogNames(component, named.value(), catalog);
    return new FieldSpec(Names.snakeCase(component.getName()), component.getGenericType(),
        required, defaultValue == null ? null : defaultValue.value(),
        Constraints.of(component, names),
        named == null ? (doc == null ? null : doc.value())
            : catalogDoc(named.value(), names, catalog, doc));
  }

  private static List<String> catalogNames(RecordComponent component, String kind,
      Catalog catalog) {
    if (component.isAnnotationPresent(OneOf.class)) {
      throw new IllegalStateException(component + " is both @OneOf and @OneOfCatalog");
    }
    List<String> names = catalog.names(kind);
    if (names == null) {
      throw new IllegalStateException("the catalog has no kind '" + kind + "' for " + component
          + " (is the policy registry installed?)");
    }
    return List.copyOf(names);
  }

  // "name: line; name: line", then the field's own doc as a further sentence
  private static String catalogDoc(String kind, List<String> names, Catalog catalog, Doc doc) {
    List<String> lines = new ArrayList<>();
    for (String name : names) {
      lines.add(name + ": " + catalog.description(kind, name));
    }
    return String.join("; ", lines) + (doc == null ? "" : ". " + doc.value());
  }

  /**
   * Checks on a value beyond its type. Range and one-of (the allowed values, null when any) apply to a scalar or to each element of a
   * list; least size applies to the list itself.
   */
  record Constraints(Range range, List<String> oneOf, MinSize minSize, boolean oneOrMore) {
    static final Constraints NONE = new Constraints(null, null, null, false);

    /** @param catalogNames the names of a {@link OneOfCatalog} field, else null */
    static Constraints of(RecordComponent component, List<String> catalogNames) {
      OneOf oneOf = component.getAnnotation(OneOf.class);
      return new Constraints(component.getAnnotation(Range.class),
          oneOf != null ? List.of(oneOf.value()) : catalogNames,
          component.getAnnotation(MinSize.class),
          component.getAnnotation(OneOrMore.class) != null);
    }

    Constraints forElements() {
      return new Constraints(range, oneOf, null, false);
    }
  }
}
