package dev.tokentherm.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A record type's fields, in declaration order, and the constructor that builds it. */
final class RecordShape {
  private final Class<?> type;
  private final Map<String, FieldSpec> fieldsByKey;
  private final Constructor<?> constructor;

  private RecordShape(Class<?> type, Map<String, FieldSpec> fieldsByKey,
      Constructor<?> constructor) {
    this.type = type;
    this.fieldsByKey = fieldsByKey;
    this.constructor = constructor;
  }

  static RecordShape of(Class<?> type, Catalog catalog) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, FieldSpec> fields = new LinkedHashMap<>();
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      FieldSpec field = FieldSpec.of(components[i], catalog);
      fields.put(field.key(), field);
      parameterTypes[i] = components[i].getType();
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
      return new RecordShape(type, Collections.unmodifiableMap(fields), constructor);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("no canonical constructor in " + type, e);
    }
  }

  Class<?> type() {
    return type;
  }

  List<FieldSpec> fields() {
    return new ArrayList<>(fieldsByKey.values());
  }

  FieldSpec field(String key) {
    return fieldsByKey.get(key);
  }

  List<String> keys() {
    return new ArrayList<>(fieldsByKey.keySet());
  }

  /**
   * Builds the record.
   *
   * @throws IllegalArgumentException with the reason when its constructor refuses the values
   */
  Object construct(Object[] arguments) {
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException(cause.getMessage() != null ? cause.getMessage()
          : cause.getClass().getSimpleName(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type, e);
    }
  }

  /**
   * Shapes by type, computed once per cache; one cache per load, so nothing is static.
   * {@link OneOfCatalog} fields take their names from the cache's catalog.
   */
  static final class Cache {
    private final Map<Class<?>, RecordShape> shapes = new HashMap<>();
    private final Catalog catalog;

    Cache(Catalog catalog) {
      this.catalog = catalog;
    }

    RecordShape of(Class<?> type) {
      return shapes.computeIfAbsent(type, t -> RecordShape.of(t, catalog));
    }
  }
}
