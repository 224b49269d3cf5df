package dev.tokentherm.sweep;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.config.ConfigLoader;
import dev.tokentherm.experiment.Experiment;
import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.RunPipeline;
import dev.tokentherm.experiment.Treatment;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A sweep file read and resolved: its points (SweepPoints) as an experiment's treatments, point i
 * being treatment i with the assignments {@code path=value} of every axis, after the file's
 * {@code sets}.
 */
public final class SweepPlan {
  private final Path file;
  private final Bound<Sweep> bound;
  private final Path base;
  private final List<List<String>> points;
  private final Experiment experiment;

  private SweepPlan(Path file, Bound<Sweep> bound, Path base, List<List<String>> points, Experiment experiment) {
    this.file = file;
    this.bound = bound;
    this.base = base;
    this.points = points;
    this.experiment = experiment;
  }

  /**
   * Reads a sweep file and its base scenario (with the file's sets).
   *
   * @param profilesDir hardware-profiles folder for the runs; null: the nearest one at or above the base
   * @throws ConfigException one-line errors naming the sweep file, the field and what is allowed
   */
  public static SweepPlan load(Path file, Path profilesDir) throws ConfigException {
    Bound<Sweep> bound = ConfigLoader.load(file, Sweep.class, List.of());
    Sweep sweep = bound.value();
    Path folder = file.getParent();
    Path base = (folder == null ? Path.of(sweep.base()) : folder.resolve(sweep.base())).normalize();
    if (!Files.isRegularFile(base)) {
      throw new ConfigException(bound.errorAt("base", "'" + sweep.base() + "' (" + base + ") is not a file;"
          + " allowed: a scenario file, relative to the sweep file"));
    }
    try {
      ScenarioLoader.load(base, sweep.sets());
    } catch (ConfigException e) {
      throw new ConfigException(bound.errorAt("base", "the base scenario with sets does not load: "
          + e.errors().get(0).format()));
    }
    List<List<String>> points = SweepPoints.of(sweep);
    List<Treatment> treatments = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      List<String> sets = new ArrayList<>();
      for (int a = 0; a < sweep.axes().size(); a++) {
        sets.add(sweep.axes().get(a).path() + "=" + points.get(i).get(a));
      }
      treatments.add(new Treatment(String.valueOf(i), sets));
    }
    Experiment experiment = new Experiment(base, profilesDir, sweep.sets(), treatments, sweep.replications());
    return new SweepPlan(file, bound, base, points, experiment);
  }

  /**
   * Loads every point's scenario (its first replication) with profiles and checks its plans, as a
   * run would, before anything runs.
   *
   * @throws ConfigException the points that do not load, each located at its axis in the sweep file
   */
  public void check() throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    long[] seeds = experiment.baseSeeds();
    ProfileLibrary library = experiment.library();
    for (int i = 0; i < points.size(); i++) {
      try {
        RunPipeline.prepare(experiment.request(new ExperimentRun(i, 0, seeds[i])), library);
      } catch (ConfigException e) {
        ConfigError first = e.errors().get(0);
        errors.add(bound.errorAt(axisPathOf(first, i), "point " + i + " (" + String.join(", ",
            experiment.treatments().get(i).sets()) + ") does not load: " + first.format()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  /** The axis field an error of point i comes from (its --set option), else "axes". */
  private String axisPathOf(ConfigError error, int point) {
    List<Sweep.Axis> axes = sweep().axes();
    for (int a = 0; a < axes.size(); a++) {
      if (error.file().startsWith("--set " + axes.get(a).path() + "=")) {
        Sweep.Axis axis = axes.get(a);
        if (axis.values() != null) {
          int k = axis.values().indexOf(points.get(point).get(a));
          return "axes[" + a + "].values[" + Math.max(k, 0) + "]";
        }
        return "axes[" + a + "].range";
      }
    }
    return "axes";
  }

  /** Whether a file is a sweep file rather than a scenario: it has a top-level {@code axes:} key. */
  public static boolean isSweepFile(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > ConfigLoader.MAX_FILE_BYTES) {
        return false;
      }
      return AXES_KEY.matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
    } catch (IOException | UncheckedIOException e) {
      return false; // unreadable: the scenario loader says why
    }
  }

  private static final Pattern AXES_KEY = Pattern.compile("(?m)^axes\\s*:");

  public Path file() {
    return file;
  }

  public Sweep sweep() {
    return bound.value();
  }

  /** The base scenario, resolved against the sweep file's folder. */
  public Path base() {
    return base;
  }

  /** Each point's values, in axis order. */
  public List<List<String>> points() {
    return points;
  }

  public Experiment experiment() {
    return experiment;
  }

  /** The axes' paths, in order. */
  public List<String> axisPaths() {
    List<String> paths = new ArrayList<>();
    for (Sweep.Axis a : sweep().axes()) {
      paths.add(a.path());
    }
    return paths;
  }
}
