package dev.tokentherm.sweep;

import dev.tokentherm.experiment.ExperimentResult;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.results.ConfidenceInterval;
import dev.tokentherm.results.Decimals;
import java.util.ArrayList;
import java.util.List;

/**
 * sweep.md: the sweep's comparison in Markdown: the Pareto fronts over the points whose runs all
 * ended ok (per-point means over replications), then how each point differs from point 0 (paired
 * differences, common random numbers). Nothing in it depends on wall time, so it is as
 * deterministic as the runs.
 */
public final class SweepMarkdown {
  public static final String FILE = "sweep.md";

  static final String TOKENS_PER_S = "throughput.output_tokens_per_s";
  static final String GPUS = "run.gpus";
  static final String UNUSED_GPUS = "energy.unused_gpus";
  static final String TPOT_P50 = "latency.tpot_ms.p50";
  static final String TBT_P99 = "latency.tbt_ms.p99";
  static final String J_PER_TOKEN = "energy.j_per_output_token";

  private SweepMarkdown() {}

  public static String of(SweepIndex.Header header, SweepTables tables, ExperimentResult result) {
    StringBuilder md = new StringBuilder();
    int points = header.points().size();
    int runs = points * header.replications();
    int failed = 0;
    for (RunRecord r : result.records()) {
      failed += r.ok() ? 0 : 1;
    }
    md.append("# Sweep ").append(header.sweepFile()).append("\n\n");
    md.append("Base scenario `").append(header.base()).append("`, mode ").append(header.mode()).append(", ")
        .append(points).append(" points × ").append(header.replications()).append(" replications = ")
        .append(runs).append(" runs");
    if (!header.sets().isEmpty()) {
      md.append(", every point with `").append(String.join("`, `", header.sets())).append('`');
    }
    md.append(". Tables: sweep.csv (every run), sweep_summary.csv (per point: mean and 95 % t-interval"
        + " half-width of every metric), sweep_paired.csv (paired differences against point 0).\n\n");
    if (failed > 0) {
      md.append("**").append(failed).append(" runs failed**; they are left out:\n\n");
      int shown = 0;
      for (RunRecord r : result.records()) {
        if (!r.ok() && shown++ < 10) {
          md.append("- point ").append(r.run().treatment()).append(" replication ").append(r.run().replication())
              .append(": ").append(r.error()).append('\n');
        }
      }
      md.append('\n');
    }
    List<Integer> eligible = new ArrayList<>();
    for (int p = 0; p < points; p++) {
      if (tables.runsOf(p) > 0 && tables.allOk(p)) {
        eligible.add(p);
      }
    }
    md.append("Pareto fronts over the ").append(eligible.size()).append(" points whose runs all ended ok")
        .append(" (means over replications).\n\n");

    md.append("## Pareto front: output tokens/s per GPU against tokens/s per user\n\n");
    md.append("Tokens/s per GPU = throughput.output_tokens_per_s / GPUs in use (run.gpus − energy.unused_gpus:"
        + " the GPUs the deployments hold); tokens/s per user = 1000 /"
        + " latency.tpot_ms.p50 (a user's decode speed at the median). More is better on both.\n\n");
    double[][] throughput = new double[eligible.size()][];
    for (int i = 0; i < eligible.size(); i++) {
      int p = eligible.get(i);
      throughput[i] = new double[] {tables.mean(p, TOKENS_PER_S) / gpusInUse(tables, p),
          1000 / tables.mean(p, TPOT_P50)};
    }
    List<String> head = new ArrayList<>(List.of("point"));
    head.addAll(header.axes());
    head.addAll(List.of("tokens/s per GPU", "tokens/s per user"));
    table(md, head, front(header, eligible, throughput, new boolean[] {true, true}));

    boolean priced = header.gpuHourUsd() != null;
    md.append("## Pareto front: TBT p99 against J per output token").append(priced ? " against $ per hour" : "")
        .append("\n\n");
    md.append("Less is better on each: latency.tbt_ms.p99, energy.j_per_output_token")
        .append(priced ? ", GPUs in use × " + header.gpuHourUsd().value() + " $ per GPU-hour ("
            + header.gpuHourUsd().source() + ")" : " (no gpu_hour_usd in the sweep file: no $ per hour)")
        .append(".\n\n");
    double[][] cost = new double[eligible.size()][];
    for (int i = 0; i < eligible.size(); i++) {
      int p = eligible.get(i);
      double tbt = tables.mean(p, TBT_P99);
      double joules = tables.mean(p, J_PER_TOKEN);
      cost[i] = priced ? new double[] {tbt, joules, gpusInUse(tables, p) * header.gpuHourUsd().value()}
          : new double[] {tbt, joules};
    }
    head = new ArrayList<>(List.of("point"));
    head.addAll(header.axes());
    head.addAll(List.of("TBT p99 ms", "J per output token"));
    if (priced) {
      head.add("$ per hour");
    }
    table(md, head, front(header, eligible, cost, priced ? new boolean[] {false, false, false}
        : new boolean[] {false, false}));

    md.append("## Paired differences against point 0\n\n");
    md.append("Point − point 0 over the replications that share a seed; per metric, how many points' 95 %"
        + " intervals lie above 0, below 0 or contain it (each point's figures in sweep_paired.csv).\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (String m : header.compare()) {
      int above = 0;
      int below = 0;
      int either = 0;
      for (int p = 1; p < points; p++) {
        ConfidenceInterval d = result.paired(0, p, m);
        if (Double.isNaN(d.halfWidth())) {
          either++;
        } else if (d.low() > 0) {
          above++;
        } else if (d.high() < 0) {
          below++;
        } else {
          either++;
        }
      }
      rows.add(List.of(m, String.valueOf(above), String.valueOf(below), String.valueOf(either)));
    }
    table(md, List.of("metric", "above point 0", "below point 0", "not told apart (or one replication)"), rows);
    return md.toString();
  }

  /** The GPUs the deployments hold: the cluster's less those no deployment uses. */
  static double gpusInUse(SweepTables tables, int point) {
    double unused = tables.mean(point, UNUSED_GPUS);
    return tables.mean(point, GPUS) - (Double.isNaN(unused) ? 0 : unused);
  }

  private static List<List<String>> front(SweepIndex.Header header, List<Integer> eligible, double[][] values,
      boolean[] maximize) {
    List<List<String>> rows = new ArrayList<>();
    for (int i : Pareto.front(values, maximize)) {
      int p = eligible.get(i);
      List<String> row = new ArrayList<>(List.of(String.valueOf(p)));
      row.addAll(header.points().get(p));
      for (double v : values[i]) {
        row.add(Decimals.fixed(v, 3));
      }
      rows.add(row);
    }
    return rows;
  }

  private static void table(StringBuilder md, List<String> head, List<List<String>> rows) {
    if (rows.isEmpty()) {
      md.append("(no points)\n\n");
      return;
    }
    md.append("| ").append(String.join(" | ", escaped(head))).append(" |\n|");
    for (int i = 0; i < head.size(); i++) {
      md.append("---|");
    }
    md.append('\n');
    for (List<String> row : rows) {
      md.append("| ").append(String.join(" | ", escaped(row))).append(" |\n");
    }
    md.append('\n');
  }

  private static List<String> escaped(List<String> cells) {
    List<String> out = new ArrayList<>();
    for (String c : cells) {
      out.add(c.replace("|", "\\|"));
    }
    return out;
  }
}
