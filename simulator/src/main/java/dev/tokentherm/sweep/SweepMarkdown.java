package dev.tokentherm.sweep;

import dev.tokentherm.experiment.ExperimentResult;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.results.ConfidenceInterval;
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

  private SweepMarkdown() {}

  public static String of(SweepIndex.Header header, SweepTables tables, ExperimentResult result, SweepFronts fronts) {
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
    md.append("Pareto fronts over the ").append(fronts.eligible().size()).append(" points whose runs all ended ok")
        .append(" (means over replications)")
        .append("; ").append(SweepHtml.FILE).append(" draws them among all these points.\n\n");

    md.append("## Pareto front: output tokens/s per GPU against tokens/s per user\n\n");
    md.append("Tokens/s per GPU = throughput.output_tokens_per_s / GPUs in use (run.gpus − energy.unused_gpus:"
        + " the GPUs the deployments hold); tokens/s per user = 1000 /"
        + " latency.tpot_ms.p50 (a user's decode speed at the median). More is better on both.\n\n");
    frontTable(md, header, fronts, fronts.throughput());

    boolean priced = fronts.priced();
    md.append("## Pareto front: TBT p99 against J per output token").append(priced ? " against $ per hour" : "")
        .append("\n\n");
    md.append("Less is better on each: latency.tbt_ms.p99, energy.j_per_output_token")
        .append(priced ? ", GPUs in use × " + header.gpuHourUsd().value() + " $ per GPU-hour ("
            + header.gpuHourUsd().source() + ")" : " (no gpu_hour_usd in the sweep file: no $ per hour)")
        .append(".\n\n");
    frontTable(md, header, fronts, fronts.cost());

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

  private static void frontTable(StringBuilder md, SweepIndex.Header header, SweepFronts fronts,
      SweepFronts.Front front) {
    table(md, SweepFronts.head(header, front), fronts.rows(header, front));
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
