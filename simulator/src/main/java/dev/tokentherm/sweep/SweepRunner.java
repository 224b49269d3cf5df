package dev.tokentherm.sweep;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.Executor;
import dev.tokentherm.experiment.Experiment;
import dev.tokentherm.experiment.ExperimentResult;
import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.ExperimentRunner;
import dev.tokentherm.experiment.PointStore;
import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.experiment.SummaryCells;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Runs a sweep (or one shard of it) into a folder and writes its tables:
 * <ul>
 *   <li>{@code DIR/points/RUN_HASH/}: each finished run, committed atomically (experiment.PointStore);
 *       a restarted sweep reads these back instead of running them again;
 *   <li>{@code DIR/sweep.json}: the runs this invocation covered ({@link SweepIndex});
 *   <li>when every run of the sweep is in: sweep.csv, sweep_summary.csv, sweep_paired.csv, sweep.md
 *       and sweep.html (the Pareto fronts drawn), built from the points' summary.json files.
 * </ul>
 * Every file in DIR is written to a hidden temporary file, forced to disk and renamed into place,
 * so a sweep killed at any moment leaves either the earlier file or the new one.
 */
public final class SweepRunner {
  /** What {@link #run} did. */
  public record Outcome(ExperimentResult result, int ran, int reused, int failed, boolean tablesWritten) {}

  /** One share of the runs: run k (in run order, from 0) belongs to shard {@code k mod count + 1}. */
  public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    /** "i/N" with 1 ≤ i ≤ N. */
    public static Shard parse(String text) {
      String[] parts = text.split("/", -1);
      try {
        if (parts.length == 2) {
          Shard s = new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
          if (s.count() >= 1 && s.index() >= 1 && s.index() <= s.count()) {
            return s;
          }
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("'" + text + "' is not a shard; allowed: i/N with 1 ≤ i ≤ N, e.g. 2/4");
    }

    public boolean holds(int runIndex) {
      return runIndex % count == index - 1;
    }

    @Override
    public String toString() {
      return index + "/" + count;
    }
  }

  private SweepRunner() {}

  /**
   * Why {@code dir} may not hold this sweep's output, or null: it must be a new or empty folder or
   * an earlier sweep's (holding sweep.json or points/).
   */
  public static String refusal(String what, Path dir) {
    if (Files.isSymbolicLink(dir)) {
      return what + ": is a symbolic link; allowed: a new folder or an earlier sweep's folder";
    }
    if (!Files.exists(dir)) {
      return null;
    }
    if (!Files.isDirectory(dir)) {
      return what + ": is a file; allowed: a new folder or an earlier sweep's folder";
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        return null;
      }
    } catch (IOException e) {
      return what + ": cannot be read: " + ResultsFolder.describe(e);
    }
    if (Files.isRegularFile(dir.resolve(SweepIndex.FILE)) || Files.isDirectory(dir.resolve(PointStore.FOLDER))) {
      return null;
    }
    return what + ": is a folder that holds no earlier sweep (no " + SweepIndex.FILE + " or " + PointStore.FOLDER
        + "/), so nothing will be written into it; allowed: a new folder or an earlier sweep's folder";
  }

  /** Runs the shard's runs of {@code plan} into {@code dir}; the tables when the shard is the whole sweep. */
  public static Outcome run(SweepPlan plan, Path dir, Shard shard, Executor executor,
      ExperimentRunner.Listener listener) throws ConfigException, IOException, InterruptedException,
      ExecutionException {
    Experiment experiment = plan.experiment();
    List<ExperimentRun> all = experiment.runs(experiment.baseSeeds());
    List<ExperimentRun> mine = new ArrayList<>();
    for (int k = 0; k < all.size(); k++) {
      if (shard.holds(k)) {
        mine.add(all.get(k));
      }
    }
    Files.createDirectories(dir);
    removeTemporaries(dir);
    ExperimentResult result = new ExperimentRunner(experiment, PointStore.in(dir), executor).run(mine, listener);
    int ran = 0;
    int reused = 0;
    int failed = 0;
    for (RunRecord r : result.records()) {
      failed += r.ok() ? 0 : 1;
      reused += r.ok() && r.reused() ? 1 : 0;
      ran += r.ok() && !r.reused() ? 1 : 0;
    }
    SweepIndex.Header header = SweepIndex.Header.of(plan);
    writeAtomically(dir.resolve(SweepIndex.FILE), SweepIndex.of(header, shard.toString(), result.records()).text());
    boolean whole = shard.count() == 1;
    if (whole) {
      writeTables(dir, header, result);
    }
    return new Outcome(result, ran, reused, failed, whole);
  }

  /**
   * Joins shards' folders into {@code out}: their sweep.json must describe the same sweep and
   * together hold every run; the points are copied into {@code out/points/} (when out is not
   * their folder) and the tables written there, equal to an unsharded run's.
   *
   * @throws ConfigException a folder without sweep.json, different sweeps, or runs missing
   */
  public static ExperimentResult merge(List<Path> dirs, Path out) throws ConfigException, IOException {
    SweepIndex.Header header = null;
    Map<String, SweepIndex.Run> runs = new LinkedHashMap<>();
    Map<String, Path> folderOf = new LinkedHashMap<>();
    for (Path dir : dirs) {
      Path file = dir.resolve(SweepIndex.FILE);
      SweepIndex index;
      try {
        index = SweepIndex.read(file);
      } catch (IOException e) {
        throw new ConfigException(dev.tokentherm.config.ConfigError.inSource(file.toString(),
            "cannot be read (" + ResultsFolder.describe(e) + "); allowed: the sweep.json a sweep or shard wrote"));
      }
      if (!SweepIndex.TOOL.equals(index.tool()) || index.header() == null || index.runs() == null) {
        throw new ConfigException(dev.tokentherm.config.ConfigError.inSource(file.toString(),
            "is not a sweep index; allowed: the sweep.json a sweep or shard wrote"));
      }
      if (header == null) {
        header = index.header();
      } else if (!header.equals(index.header())) {
        throw new ConfigException(dev.tokentherm.config.ConfigError.inSource(file.toString(),
            "describes another sweep than " + dirs.get(0).resolve(SweepIndex.FILE)
                + " (base, sets, axes, points or replications differ); allowed: shards of one sweep"));
      }
      for (SweepIndex.Run r : index.runs()) {
        String key = r.point() + "/" + r.replication();
        if (!runs.containsKey(key) || runs.get(key).runHash() == null) {
          runs.put(key, r);
          folderOf.put(key, dir);
        }
      }
    }
    Experiment experiment = header.experiment();
    List<String> missing = new ArrayList<>();
    List<RunRecord> records = new ArrayList<>();
    PointStore target = PointStore.in(out);
    Files.createDirectories(target.root());
    removeTemporaries(out);
    for (ExperimentRun run : experiment.runs(seeds(header, runs))) {
      SweepIndex.Run r = runs.get(run.treatment() + "/" + run.replication());
      if (r == null) {
        missing.add("point " + run.treatment() + " replication " + run.replication());
        continue;
      }
      if (r.runHash() == null || RunRecord.ERROR.equals(r.status())) {
        records.add(RunRecord.failed(r.experimentRun(), r.runHash(), "failed in its shard"));
        continue;
      }
      PointStore source = PointStore.in(folderOf.get(run.treatment() + "/" + run.replication()));
      if (!source.isCommitted(r.runHash())) {
        missing.add("point " + run.treatment() + " replication " + run.replication() + " (" + source.folder(r.runHash())
            + " is not a committed run)");
        continue;
      }
      if (!target.isCommitted(r.runHash())) {
        copyPoint(source.folder(r.runHash()), target.folder(r.runHash()));
      }
      var cells = SummaryCells.read(target.summary(r.runHash()));
      records.add(new RunRecord(r.experimentRun(), r.runHash(), cells.getOrDefault(SummaryCells.STATUS, ""), true, 0,
          cells, null));
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(dev.tokentherm.config.ConfigError.inSource(dirs.get(0).toString(),
          missing.size() + " runs are in no shard's folder (first: " + missing.get(0) + "); allowed: the folders of"
              + " every shard i/N, each run to its end"));
    }
    ExperimentResult result = new ExperimentResult(experiment, records);
    writeAtomically(out.resolve(SweepIndex.FILE), SweepIndex.of(header, Shard.ALL.toString(), records).text());
    writeTables(out, header, result);
    return result;
  }

  /** Each point's base seed as its replication 0 recorded it. */
  private static long[] seeds(SweepIndex.Header header, Map<String, SweepIndex.Run> runs) {
    long[] seeds = new long[header.points().size()];
    for (int p = 0; p < seeds.length; p++) {
      SweepIndex.Run r = runs.get(p + "/0");
      seeds[p] = r == null ? 0 : r.seed();
    }
    return seeds;
  }

  private static void writeTables(Path dir, SweepIndex.Header header, ExperimentResult result) throws IOException {
    SweepTables tables = new SweepTables(header, result);
    writeAtomically(dir.resolve(SweepTables.RUNS_CSV), tables.runs());
    writeAtomically(dir.resolve(SweepTables.SUMMARY_CSV), tables.summary());
    writeAtomically(dir.resolve(SweepTables.PAIRED_CSV), tables.paired());
    SweepFronts fronts = SweepFronts.of(header, tables);
    writeAtomically(dir.resolve(SweepMarkdown.FILE), SweepMarkdown.of(header, tables, result, fronts));
    writeAtomically(dir.resolve(SweepHtml.FILE), SweepHtml.of(header, fronts));
  }

  /** Copies a committed point folder by staging it next to the target and renaming it into place. */
  private static void copyPoint(Path from, Path to) throws IOException {
    Path staging = to.resolveSibling("." + to.getFileName() + ".copy-" + Long.toHexString(System.nanoTime()));
    Files.createDirectories(staging);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(f, staging.resolve(f.getFileName()));
          force(staging.resolve(f.getFileName()));
        }
      }
    }
    move(staging, to);
  }

  /** Writes {@code text} to a hidden temporary file beside {@code file}, forces it to disk and renames it over. */
  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      force(tmp);
      move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Temporary files of killed sweeps (".NAME.tmp-HEX") and merges (".HASH.copy-HEX" in points/). */
  private static void removeTemporaries(Path dir) throws IOException {
    for (Path folder : List.of(dir, dir.resolve(PointStore.FOLDER))) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(folder)) {
        for (Path p : entries.toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith(".") && name.matches("\\..+\\.(tmp|copy)-[0-9a-f]+")) {
            ResultsFolder.deleteTree(p);
          }
        }
      }
    }
  }
}
