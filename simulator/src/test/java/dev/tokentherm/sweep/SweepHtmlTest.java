package dev.tokentherm.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentherm.report.Chart;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fronts' charts on a table small enough to find the front by hand. */
class SweepHtmlTest {
  /**
   * Five candidates, more better on both: (1, 5), (2, 4), (3, 1), (1.5, 3), (NaN, 1). (1.5, 3) is
   * dominated by (2, 4); the NaN one takes no part; the other three are the front.
   */
  private static final double[][] VALUES = {{1, 5}, {2, 4}, {3, 1}, {1.5, 3}, {Double.NaN, 1}};

  @Test
  void theFrontByHand() {
    assertThat(Pareto.front(VALUES, new boolean[] {true, true})).containsExactly(0, 1, 2);
    // less better on both: (1, 5), (1.5, 3) and (3, 1) are each best somewhere; (2, 4) is beaten by (1.5, 3)
    assertThat(Pareto.front(VALUES, new boolean[] {false, false})).containsExactly(0, 2, 3);
  }

  @Test
  void theChartHoldsEveryPointAndTheFrontJoinedAlongX() {
    SweepFronts.Front front = new SweepFronts.Front(List.of("a", "b"), new boolean[] {true, true}, VALUES,
        Pareto.front(VALUES, new boolean[] {true, true}));
    // b across, a up: the front's (b, a) points (5, 1), (4, 2), (1, 3) sorted by b
    Chart c = SweepHtml.chart("chart-t", "t", front, 1, 0);
    JsonNode json = c.json();
    assertThat(json.get("kind").asText()).isEqualTo("scatter");
    assertThat(json.get("x_name").asText()).isEqualTo("b");
    assertThat(json.get("y_name").asText()).isEqualTo("a");
    JsonNode points = json.get("series").get(0);
    assertThat(points.get("name").asText()).isEqualTo(SweepHtml.POINTS);
    assertThat(numbers(points.get("x"))).containsExactly(5.0, 4.0, 1.0, 3.0);
    assertThat(numbers(points.get("y"))).containsExactly(1.0, 2.0, 3.0, 1.5);
    assertThat(points.has("joined")).isFalse();
    JsonNode f = json.get("series").get(1);
    assertThat(f.get("name").asText()).isEqualTo(SweepHtml.FRONT);
    assertThat(f.get("joined").asBoolean()).isTrue();
    assertThat(numbers(f.get("x"))).containsExactly(1.0, 4.0, 5.0);
    assertThat(numbers(f.get("y"))).containsExactly(3.0, 2.0, 1.0);
  }

  @Test
  void aThreeObjectiveFrontIsDrawnOnEachPair() {
    double[][] v = {{1, 2, 3}, {2, 1, 3}, {3, 3, 1}, {3, 3, 3}};
    boolean[] less = {false, false, false};
    // (3, 3, 3) is beaten by each of the others; they beat each other nowhere
    assertThat(Pareto.front(v, less)).containsExactly(0, 1, 2);
    SweepFronts.Front cost = new SweepFronts.Front(List.of("x", "y", "z"), less, v, Pareto.front(v, less));
    SweepFronts.Front throughput = new SweepFronts.Front(List.of("p", "q"), new boolean[] {true, true},
        new double[0][], List.of());
    List<Chart> charts = SweepHtml.charts(new SweepFronts(List.of(0, 1, 2, 3), throughput, cost, true));
    assertThat(charts).extracting(Chart::id).containsExactly("chart-front-throughput", "chart-front-cost-0-1",
        "chart-front-cost-0-2", "chart-front-cost-1-2");
    JsonNode zAgainstY = charts.get(3).json().get("series").get(1);
    // (y, z) of the front: (2, 3), (1, 3), (3, 1), sorted by y
    assertThat(numbers(zAgainstY.get("x"))).containsExactly(1.0, 2.0, 3.0);
    assertThat(numbers(zAgainstY.get("y"))).containsExactly(3.0, 3.0, 1.0);
  }

  private static List<Double> numbers(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out;
  }
}
