package dev.tokentherm.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One chart's data as the page embeds it ({@code <script type="application/json" id="ID">}) and
 * draws it. JSON: {@code {"id", "title", "kind": "line" | "cdf" | "scatter", "x_name", "y_name",
 * "x": [..] (when every series shares its x), "series": [{"name", "x": [..], "y": [..],
 * "axis": 0 | 1, "joined": true (a scatter series joined by a line)}], "y2_name",
 * "marks": [{"name", "x" | "y"}]}}: marks are the vertical (x) or horizontal (y) lines of
 * thresholds (SLO, temperature limits). A comparison adds several runs' series to one chart.
 */
public final class Chart {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * One line of a chart; axis 1 is the second y axis; joined: on a scatter chart, its points drawn
   * with symbols and joined by a line in the order given (a Pareto front).
   */
  public record Series(String name, double[] x, double[] y, int axis, boolean joined) {}

  /** A threshold line: vertical at x, or horizontal at y (the other NaN). */
  public record Mark(String name, double x, double y) {}

  private final String id;
  private final String title;
  private final String kind;
  private final String xName;
  private final String yName;
  private String y2Name;
  private final List<Series> series = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();

  public Chart(String id, String title, String kind, String xName, String yName) {
    this.id = id;
    this.title = title;
    this.kind = kind;
    this.xName = xName;
    this.yName = yName;
  }

  public Chart series(String name, double[] x, double[] y) {
    return series(name, x, y, 0);
  }

  public Chart series(String name, double[] x, double[] y, int axis) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(name + ": " + x.length + " x against " + y.length + " y");
    }
    series.add(new Series(name, x, y, axis, false));
    return this;
  }

  /** A series of a scatter chart whose points are joined by a line in the order given. */
  public Chart joinedSeries(String name, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(name + ": " + x.length + " x against " + y.length + " y");
    }
    series.add(new Series(name, x, y, 0, true));
    return this;
  }

  /** Names the second y axis (series added with axis 1). */
  public Chart secondAxis(String name) {
    this.y2Name = name;
    return this;
  }

  public Chart markX(String name, double x) {
    if (Double.isFinite(x)) {
      marks.add(new Mark(name, x, Double.NaN));
    }
    return this;
  }

  public Chart markY(String name, double y) {
    if (Double.isFinite(y)) {
      marks.add(new Mark(name, Double.NaN, y));
    }
    return this;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public List<Series> seriesList() {
    return List.copyOf(series);
  }

  public List<Mark> marks() {
    return List.copyOf(marks);
  }

  public boolean isEmpty() {
    for (Series s : series) {
      if (s.x().length > 0) {
        return false;
      }
    }
    return true;
  }

  /** The embedded JSON; a shared x is written once. */
  public ObjectNode json() {
    ObjectNode o = NODES.objectNode();
    o.put("id", id);
    o.put("title", title);
    o.put("kind", kind);
    o.put("x_name", xName);
    o.put("y_name", yName);
    if (y2Name != null) {
      o.put("y2_name", y2Name);
    }
    boolean shared = series.size() > 1;
    for (Series s : series) {
      shared &= Arrays.equals(s.x(), series.get(0).x());
    }
    if (shared) {
      o.set("x", numbers(series.get(0).x()));
    }
    ArrayNode list = o.putArray("series");
    for (Series s : series) {
      ObjectNode n = list.addObject();
      n.put("name", s.name());
      if (!shared) {
        n.set("x", numbers(s.x()));
      }
      n.set("y", numbers(s.y()));
      if (s.axis() != 0) {
        n.put("axis", s.axis());
      }
      if (s.joined()) {
        n.put("joined", true);
      }
    }
    ArrayNode m = o.putArray("marks");
    for (Mark k : marks) {
      ObjectNode n = m.addObject();
      n.put("name", k.name());
      if (Double.isFinite(k.x())) {
        n.put("x", k.x());
      } else {
        n.put("y", k.y());
      }
    }
    return o;
  }

  private static ArrayNode numbers(double[] values) {
    ArrayNode a = NODES.arrayNode(values.length);
    for (double v : values) {
      if (Double.isFinite(v)) {
        a.add(v);
      } else {
        a.addNull();
      }
    }
    return a;
  }
}
