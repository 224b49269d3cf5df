package dev.tokentherm.config;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/**
 * One record component as the configuration sees it: its YAML key, its type and its annotations.
 *
 * @param key snake_case YAML key
 * @param type the generic type (List&lt;Deployment&gt;, int, ...)
 * @param required whether the key must be present
 * @param defaultYaml the {@link Default} text, or null
 * @param constraints range, allowed values and least size
 * @param doc the {@link Doc} text, or null
 */
record FieldSpec(String key, Type type, boolean required, String defaultYaml,
    Constraints constraints, String doc) {

  static FieldSpec of(RecordComponent component) {
    Default defaultValue = component.getAnnotation(Default.class);
    boolean explicitlyRequired = component.isAnnotationPresent(Required.class);
    if (explicitlyRequired && defaultValue != null) {
      throw new IllegalStateException(component + " is both @Required and @Default");
    }
    boolean required = explicitlyRequired
        || (component.getType().isPrimitive() && defaultValue == null);
    Doc doc = component.getAnnotation(Doc.class);
    return new FieldSpec(Names.snakeCase(component.getName()), component.getGenericType(),
        required, defaultValue == null ? null : defaultValue.value(),
        Constraints.of(component), doc == null ? null : doc.value());
  }

  /**
   * Checks on a value beyond its type. Range and one-of apply to a scalar or to each element of a
   * list; least size applies to the list itself.
   */
  record Constraints(Range range, OneOf oneOf, MinSize minSize, boolean oneOrMore) {
    static final Constraints NONE = new Constraints(null, null, null, false);

    static Constraints of(RecordComponent component) {
      return new Constraints(component.getAnnotation(Range.class),
          component.getAnnotation(OneOf.class), component.getAnnotation(MinSize.class),
          component.getAnnotation(OneOrMore.class) != null);
    }

    Constraints forElements() {
      return new Constraints(range, oneOf, null, false);
    }
  }
}
