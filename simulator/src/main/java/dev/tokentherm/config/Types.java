package dev.tokentherm.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/** The component types the binder supports, told apart. */
final class Types {
  private Types() {}

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported configuration type " + type);
  }

  static boolean isWhole(Class<?> c) {
    return c == int.class || c == Integer.class || c == long.class || c == Long.class;
  }

  static boolean isInt(Class<?> c) {
    return c == int.class || c == Integer.class;
  }

  static boolean isDecimal(Class<?> c) {
    return c == double.class || c == Double.class;
  }

  static boolean isBoolean(Class<?> c) {
    return c == boolean.class || c == Boolean.class;
  }

  static boolean isList(Type type) {
    return raw(type) == List.class;
  }

  static boolean isMap(Type type) {
    return raw(type) == Map.class;
  }

  /** The element type of a List&lt;T&gt; or the value type of a Map&lt;String, T&gt;. */
  static Type elementType(Type type) {
    if (!(type instanceof ParameterizedType p)) {
      throw new IllegalArgumentException("raw collection type " + type + "; give its element type");
    }
    Type[] arguments = p.getActualTypeArguments();
    if (isMap(type) && arguments[0] != String.class) {
      throw new IllegalArgumentException("map keys must be String in " + type);
    }
    return arguments[arguments.length - 1];
  }
}
