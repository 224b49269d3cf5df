package dev.tokentherm.sweep;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.experiment.Experiment;
import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.experiment.Treatment;
import dev.tokentherm.results.JsonRecords;
import dev.tokentherm.results.SummaryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DIR/sweep.json}: what a sweep (or one shard of it) ran, enough to build its tables without
 * the sweep file: the points and their axes, and each run's seed, run hash (its folder under
 * points/) and status. {@code sweep merge} joins shards' indexes; their {@link Header}s must agree.
 *
 * @param shard "i/N" of the runs listed ("1/1": every run)
 * @param runs the runs done, in run order (point, then replication)
 */
public record SweepIndex(String tool, Header header, String shard, List<Run> runs) {
  public static final String FILE = "sweep.json";
  public static final String TOOL = "tokentherm-sweep";

  /**
   * The sweep's definition as the tables need it.
   *
   * @param sweepFile the sweep file as given
   * @param base the base scenario, resolved against the sweep file's folder
   * @param sets assignments every point starts from
   * @param axes the axes' --set paths
   * @param points each point's values, in axis order
   * @param gpuHourUsd the GPU-hour price, or null
   */
  public record Header(String sweepFile, String base, String mode, List<String> sets, List<String> axes,
      List<List<String>> points, int replications, List<String> compare, Sourced gpuHourUsd) {
    public static Header of(SweepPlan plan) {
      Sweep s = plan.sweep();
      return new Header(plan.file().toString(), plan.base().toString(), s.mode(), s.sets(), plan.axisPaths(),
          plan.points(), s.replications(), s.compare(), s.gpuHourUsd());
    }

    /** The experiment these points make (treatment i: point i's assignments). */
    public Experiment experiment() {
      List<Treatment> treatments = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        List<String> assignments = new ArrayList<>();
        for (int a = 0; a < axes.size(); a++) {
          assignments.add(axes.get(a) + "=" + points.get(i).get(a));
        }
        treatments.add(new Treatment(String.valueOf(i), assignments));
      }
      return new Experiment(Path.of(base), null, sets, treatments, replications);
    }
  }

  /** One run: {@code runHash} null when it could not start. */
  public record Run(int point, int replication, long seed, String runHash, String status) {
    public static Run of(RunRecord r) {
      return new Run(r.run().treatment(), r.run().replication(), r.run().seed(), r.runHash(), r.status());
    }

    public ExperimentRun experimentRun() {
      return new ExperimentRun(point, replication, seed);
    }
  }

  public static SweepIndex of(Header header, String shard, List<RunRecord> records) {
    List<Run> runs = new ArrayList<>();
    for (RunRecord r : records) {
      runs.add(Run.of(r));
    }
    return new SweepIndex(TOOL, header, shard, runs);
  }

  public String text() {
    return SummaryJson.text(JsonRecords.toTree(this));
  }

  public static SweepIndex read(Path file) throws IOException {
    return SummaryJson.read(Files.readString(file, StandardCharsets.UTF_8), SweepIndex.class);
  }
}
