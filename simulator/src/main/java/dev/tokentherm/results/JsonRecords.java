package dev.tokentherm.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result records to JSON trees and back, by one rule for every record: keys in component order,
 * named {@link #key snake_case}; doubles as {@link Decimals} (null for NaN); null components left
 * out unless {@link KeepNull}; lists as arrays, string-keyed maps as objects (insertion order).
 */
public final class JsonRecords {
  /** Exact decimals: no trailing-zero normalisation, so a number is written as Decimals made it. */
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonRecords() {}

  /** The JSON key of a component: camelCase to snake_case, an underscore before each capital. */
  public static String key(String component) {
    StringBuilder b = new StringBuilder(component.length() + 8);
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  public static ObjectNode toTree(Record value) {
    ObjectNode node = NODES.objectNode();
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      Object v = get(c, value);
      if (v == null && !c.isAnnotationPresent(KeepNull.class)) {
        continue;
      }
      node.set(key(c.getName()), toJson(v));
    }
    return node;
  }

  private static JsonNode toJson(Object v) {
    if (v == null) {
      return NODES.nullNode();
    } else if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? NODES.nullNode() : NODES.numberNode(Decimals.of(d));
    } else if (v instanceof Long l) {
      return NODES.numberNode(l);
    } else if (v instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (v instanceof String s) {
      return NODES.textNode(s);
    } else if (v instanceof Record r) {
      return toTree(r);
    } else if (v instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(toJson(item)));
      return array;
    } else if (v instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, item) -> object.set((String) k, toJson(item)));
      return object;
    }
    throw new IllegalArgumentException("no JSON form for " + v.getClass());
  }

  private static Object get(RecordComponent c, Record value) {
    try {
      return c.getAccessor().invoke(value);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }

  /**
   * The record a tree holds (as {@link #toTree} writes it): a missing or null key reads as null,
   * or NaN for a double, or false / 0 for other primitives.
   *
   * @throws IllegalArgumentException when a value has the wrong shape
   */
  public static <R extends Record> R fromTree(JsonNode node, Class<R> type) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(type.getSimpleName() + ": expected an object, found " + node.getNodeType());
    }
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = fromJson(node.get(key(c.getName())), c.getGenericType(), c.getName());
    }
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type, e);
    }
  }

  private static Object fromJson(JsonNode n, Type type, String where) {
    Class<?> raw = raw(type);
    boolean absent = n == null || n.isNull();
    if (absent && !raw.isPrimitive()) {
      return null;
    } else if (raw == double.class || raw == Double.class) {
      return absent ? Double.NaN : number(n, where).doubleValue();
    } else if (raw == long.class || raw == Long.class) {
      return absent ? 0L : number(n, where).longValue();
    } else if (raw == int.class || raw == Integer.class) {
      return absent ? 0 : number(n, where).intValue();
    } else if (raw == boolean.class || raw == Boolean.class) {
      return absent ? false : n.booleanValue();
    } else if (raw == String.class) {
      return n.asText();
    } else if (raw.isRecord()) {
      return fromTree(n, raw.asSubclass(Record.class));
    } else if (raw == List.class) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : n) {
        list.add(fromJson(item, argument(type, 0), where));
      }
      return List.copyOf(list);
    } else if (raw == Map.class) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), fromJson(e.getValue(), argument(type, 1), where));
      }
      return map;
    }
    throw new IllegalArgumentException("no JSON form for " + type);
  }

  private static JsonNode number(JsonNode n, String where) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException(key(where) + ": expected a number, found " + n.getNodeType());
    }
    return n;
  }

  static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  static Type argument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }
}
