package dev.tokentherm.sweep;

import dev.tokentherm.results.Decimals;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's two Pareto fronts, computed once for sweep.md ({@link SweepMarkdown}) and sweep.html
 * ({@link SweepHtml}) over the points whose runs all ended ok (per-point means over replications):
 * <ul>
 *   <li>throughput: output tokens/s per GPU in use against tokens/s per user (1000 / TPOT p50), more
 *       better on both (as InferenceMAX and NVIDIA's AIConfigurator draw them);
 *   <li>cost: TBT p99 against J per output token, and $ per hour (GPUs in use × the sweep's
 *       gpu_hour_usd) when the sweep has a price; less better on each.
 * </ul>
 */
public final class SweepFronts {
  static final String TOKENS_PER_S = "throughput.output_tokens_per_s";
  static final String GPUS = "run.gpus";
  static final String UNUSED_GPUS = "energy.unused_gpus";
  static final String TPOT_P50 = "latency.tpot_ms.p50";
  static final String TBT_P99 = "latency.tbt_ms.p99";
  static final String J_PER_TOKEN = "energy.j_per_output_token";

  /**
   * One front.
   *
   * @param objectives the objectives' names, as table columns
   * @param values values[i][k]: eligible point i's objective k
   * @param front indexes into {@code eligible} (and {@code values}) of the front, ascending
   */
  public record Front(List<String> objectives, boolean[] maximize, double[][] values, List<Integer> front) {}

  private final List<Integer> eligible;
  private final Front throughput;
  private final Front cost;
  private final boolean priced;

  SweepFronts(List<Integer> eligible, Front throughput, Front cost, boolean priced) {
    this.eligible = eligible;
    this.throughput = throughput;
    this.cost = cost;
    this.priced = priced;
  }

  public static SweepFronts of(SweepIndex.Header header, SweepTables tables) {
    List<Integer> eligible = new ArrayList<>();
    for (int p = 0; p < header.points().size(); p++) {
      if (tables.runsOf(p) > 0 && tables.allOk(p)) {
        eligible.add(p);
      }
    }
    double[][] perGpu = new double[eligible.size()][];
    for (int i = 0; i < eligible.size(); i++) {
      int p = eligible.get(i);
      perGpu[i] = new double[] {tables.mean(p, TOKENS_PER_S) / gpusInUse(tables, p), 1000 / tables.mean(p, TPOT_P50)};
    }
    boolean priced = header.gpuHourUsd() != null;
    double[][] cost = new double[eligible.size()][];
    for (int i = 0; i < eligible.size(); i++) {
      int p = eligible.get(i);
      double tbt = tables.mean(p, TBT_P99);
      double joules = tables.mean(p, J_PER_TOKEN);
      cost[i] = priced ? new double[] {tbt, joules, gpusInUse(tables, p) * header.gpuHourUsd().value()}
          : new double[] {tbt, joules};
    }
    Front throughput = front(List.of("tokens/s per GPU", "tokens/s per user"), new boolean[] {true, true}, perGpu);
    List<String> costNames = priced ? List.of("TBT p99 ms", "J per output token", "$ per hour")
        : List.of("TBT p99 ms", "J per output token");
    Front costFront = front(costNames, new boolean[costNames.size()], cost);
    return new SweepFronts(List.copyOf(eligible), throughput, costFront, priced);
  }

  private static Front front(List<String> names, boolean[] maximize, double[][] values) {
    return new Front(names, maximize, values, Pareto.front(values, maximize));
  }

  /** The points whose runs all ended ok, ascending: the fronts' candidates. */
  public List<Integer> eligible() {
    return eligible;
  }

  /** Output tokens/s per GPU against tokens/s per user, more better on both. */
  public Front throughput() {
    return throughput;
  }

  /** TBT p99 against J per output token (and $ per hour when priced), less better on each. */
  public Front cost() {
    return cost;
  }

  /** Whether the sweep names a GPU-hour price: the cost front's third objective. */
  public boolean priced() {
    return priced;
  }

  /** A front's table head: point, the axes, the objectives. */
  static List<String> head(SweepIndex.Header header, Front front) {
    List<String> head = new ArrayList<>(List.of("point"));
    head.addAll(header.axes());
    head.addAll(front.objectives());
    return head;
  }

  /** A front's table rows, in point order: the point, its axis values, its objectives (3 decimals). */
  List<List<String>> rows(SweepIndex.Header header, Front front) {
    List<List<String>> rows = new ArrayList<>();
    for (int i : front.front()) {
      int p = eligible.get(i);
      List<String> row = new ArrayList<>(List.of(String.valueOf(p)));
      row.addAll(header.points().get(p));
      for (double v : front.values()[i]) {
        row.add(Decimals.fixed(v, 3));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The GPUs the deployments hold: the cluster's less those no deployment uses. */
  static double gpusInUse(SweepTables tables, int point) {
    double unused = tables.mean(point, UNUSED_GPUS);
    return tables.mean(point, GPUS) - (Double.isNaN(unused) ? 0 : unused);
  }
}
