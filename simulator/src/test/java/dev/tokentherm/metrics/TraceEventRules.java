package dev.tokentherm.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the Chrome trace-event format (the JSON object form Perfetto and chrome://tracing
 * open) that timeline.json must keep, checked on a parsed file:
 *
 * <ul>
 *   <li>the root is an object with a {@code traceEvents} array; {@code displayTimeUnit}, if
 *       present, is ms or ns;
 *   <li>every event has a phase the format defines, a string name, an integer pid and a numeric
 *       ts; events on a thread (X, B, E, i, s, t, f, thread metadata) have an integer tid;
 *   <li>complete events (X) have dur ≥ 0, and on each thread (pid, tid) their ts never go back and
 *       they nest (an event starting inside another ends inside it);
 *   <li>async events (b, n, e) carry cat and id; per (cat, id) their ts never go back, each e
 *       closes the innermost open b of the same name, and none is left open;
 *   <li>flow events (s, t, f) carry cat and id; per (cat, id) one s, then one f no earlier, and
 *       a binding point, if given, is "e";
 *   <li>counters (C) have numeric args, and per (pid, name) their ts never go back;
 *   <li>every pid an event uses has a process_name, and every thread with complete events a thread_name.
 * </ul>
 */
public final class TraceEventRules {
  private TraceEventRules() {}

  /** The phases the trace-event format defines. */
  private static final Set<String> PHASES = Set.of("B", "E", "X", "i", "I", "b", "n", "e", "S", "T", "p", "F",
      "s", "t", "f", "P", "C", "N", "O", "D", "M", "V", "v", "R", "c", "(", ")");
  private static final Set<String> ON_A_THREAD = Set.of("X", "B", "E", "i", "s", "t", "f");

  /** The broken rules, each a line naming the event (by its index in traceEvents); empty when none. */
  public static List<String> violations(JsonNode root) {
    List<String> broken = new ArrayList<>();
    JsonNode events = root.path("traceEvents");
    if (!root.isObject() || !events.isArray()) {
      broken.add("the root is not an object with a traceEvents array");
      return broken;
    }
    JsonNode unit = root.get("displayTimeUnit");
    if (unit != null && !unit.asText().equals("ms") && !unit.asText().equals("ns")) {
      broken.add("displayTimeUnit is " + unit + "; allowed: ms or ns");
    }
    // times in ns (ts and dur are µs with at most three decimals here), so that ends compare exactly
    Map<String, Deque<Long>> openX = new HashMap<>(); // per thread: the ends of the X events open at the latest ts
    Map<String, Long> lastXTs = new HashMap<>();
    Map<String, Deque<String>> asyncOpen = new HashMap<>();
    Map<String, Long> asyncLastTs = new HashMap<>();
    Map<String, Long> flowStart = new HashMap<>();
    Set<String> flowEnded = new HashSet<>();
    Map<String, Long> counterLastTs = new HashMap<>();
    Set<Long> namedPids = new HashSet<>();
    Set<String> namedThreads = new HashSet<>();
    Set<Long> usedPids = new HashSet<>();
    Set<String> threadsWithX = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      String at = "event " + i;
      String ph = e.path("ph").asText(null);
      if (ph == null || !PHASES.contains(ph)) {
        broken.add(at + ": phase " + e.get("ph") + " is not one the format defines");
        continue;
      }
      if (!e.path("name").isTextual()) {
        broken.add(at + ": no name");
      }
      if (!e.path("pid").isIntegralNumber()) {
        broken.add(at + ": no integer pid");
        continue;
      }
      long pid = e.get("pid").asLong();
      boolean threadMetadata = ph.equals("M") && e.path("name").asText().startsWith("thread_");
      if ((ON_A_THREAD.contains(ph) || threadMetadata) && !e.path("tid").isIntegralNumber()) {
        broken.add(at + ": " + ph + " event without an integer tid");
        continue;
      }
      String thread = pid + "/" + e.path("tid").asLong();
      if (ph.equals("M")) {
        if (e.path("name").asText().equals("process_name")) {
          namedPids.add(pid);
        } else if (e.path("name").asText().equals("thread_name")) {
          namedThreads.add(thread);
        }
        continue;
      }
      usedPids.add(pid);
      if (!e.path("ts").isNumber()) {
        broken.add(at + ": no numeric ts");
        continue;
      }
      long ts = nanos(e.get("ts"));
      String name = e.path("name").asText();
      switch (ph) {
        case "X" -> {
          threadsWithX.add(thread);
          if (!e.path("dur").isNumber() || e.get("dur").asDouble() < 0) {
            broken.add(at + ": X event with dur " + e.get("dur") + "; allowed: a number ≥ 0");
            continue;
          }
          Long last = lastXTs.put(thread, ts);
          if (last != null && ts < last) {
            broken.add(at + ": X at ts " + ts + " on thread " + thread + " after one at " + last + " (ns)");
          }
          long end = ts + nanos(e.get("dur"));
          Deque<Long> open = openX.computeIfAbsent(thread, k -> new ArrayDeque<>());
          while (!open.isEmpty() && open.peek() <= ts) {
            open.pop();
          }
          if (!open.isEmpty() && end > open.peek()) {
            broken.add(at + ": X [" + ts + ", " + end + "] on thread " + thread
                + " overlaps the end of an enclosing one at " + open.peek());
          }
          open.push(end);
        }
        case "b", "n", "e" -> {
          String key = key(e);
          if (key == null) {
            broken.add(at + ": async " + ph + " event without cat and id");
            continue;
          }
          Long last = asyncLastTs.put(key, ts);
          if (last != null && ts < last) {
            broken.add(at + ": async " + key + " at ts " + ts + " after " + last);
          }
          Deque<String> open = asyncOpen.computeIfAbsent(key, k -> new ArrayDeque<>());
          if (ph.equals("b")) {
            open.push(name);
          } else if (ph.equals("e")) {
            if (open.isEmpty() || !open.peek().equals(name)) {
              broken.add(at + ": async end " + name + " of " + key + " closes "
                  + (open.isEmpty() ? "nothing open" : "the open " + open.peek()));
            } else {
              open.pop();
            }
          }
        }
        case "s", "t", "f" -> {
          String key = key(e);
          if (key == null) {
            broken.add(at + ": flow " + ph + " event without cat and id");
            continue;
          }
          if (e.has("bp") && !e.get("bp").asText().equals("e")) {
            broken.add(at + ": flow binding point " + e.get("bp") + "; allowed: e");
          }
          if (ph.equals("s")) {
            if (flowStart.putIfAbsent(key, ts) != null) {
              broken.add(at + ": a second flow start for " + key);
            }
          } else if (!flowStart.containsKey(key) || flowEnded.contains(key)) {
            broken.add(at + ": flow " + ph + " for " + key + " without an open start");
          } else if (ts < flowStart.get(key)) {
            broken.add(at + ": flow " + key + " steps back to " + ts + " from its start at " + flowStart.get(key));
          } else if (ph.equals("f")) {
            flowEnded.add(key);
          }
        }
        case "C" -> {
          JsonNode args = e.path("args");
          if (!args.isObject() || args.isEmpty()) {
            broken.add(at + ": counter " + name + " without args");
          }
          args.fields().forEachRemaining(f -> {
            if (!f.getValue().isNumber()) {
              broken.add(at + ": counter " + name + "'s " + f.getKey() + " is not a number");
            }
          });
          String track = pid + "/" + name + "/" + e.path("id").asText("");
          Long last = counterLastTs.put(track, ts);
          if (last != null && ts < last) {
            broken.add(at + ": counter " + track + " at ts " + ts + " after " + last);
          }
        }
        default -> {
        }
      }
    }
    asyncOpen.forEach((key, open) -> {
      if (!open.isEmpty()) {
        broken.add("async " + key + " left open: " + open);
      }
    });
    flowStart.forEach((key, ts) -> {
      if (!flowEnded.contains(key)) {
        broken.add("flow " + key + " starts at " + ts + " and never ends");
      }
    });
    for (long pid : usedPids) {
      if (!namedPids.contains(pid)) {
        broken.add("pid " + pid + " has no process_name");
      }
    }
    for (String thread : threadsWithX) {
      if (!namedThreads.contains(thread)) {
        broken.add("thread " + thread + " has no thread_name");
      }
    }
    return broken;
  }

  /** A time in µs as whole ns. */
  private static long nanos(JsonNode us) {
    return us.decimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
  }

  /** cat/id of an async or flow event, or null without both. */
  private static String key(JsonNode e) {
    if (!e.path("cat").isTextual() || !e.has("id")) {
      return null;
    }
    return e.get("cat").asText() + "/" + e.get("id").asText();
  }
}
