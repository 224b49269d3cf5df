package dev.tokentherm.sweep;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.config.ConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentherm.experiment.LoadedScenario;
import dev.tokentherm.results.Decimals;
import dev.tokentherm.results.JsonRecords;
import dev.tokentherm.scenario.ProfileKind;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    ProfileLibrary library = LoadedScenario.library(base, profilesDir);
    double[] estimates = new double[sweep.axes().size()];
    for (int a = 0; a < estimates.length; a++) {
      Sweep.Axis axis = sweep.axes().get(a);
      if (axis.profile() != null) {
        estimates[a] = estimate(bound, library, a, axis);
      }
    }
    List<Treatment> treatments = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      List<String> sets = new ArrayList<>();
      Map<String, List<String>> profileSets = new LinkedHashMap<>();
      for (int a = 0; a < sweep.axes().size(); a++) {
        Sweep.Axis axis = sweep.axes().get(a);
        String value = points.get(i).get(a);
        if (axis.profile() == null) {
          sets.add(axis.path() + "=" + value);
          continue;
        }
        double factor;
        try {
          factor = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          errors.add(bound.errorAt("axes[" + a + "].values[" + axis.values().indexOf(value) + "]", "'" + value
              + "' is not a number; allowed: a factor the estimate is scaled by, e.g. 0.8"));
          continue;
        }
        profileSets.computeIfAbsent(axis.profile(), k -> new ArrayList<>())
            .add(axis.path() + ".value=" + Decimals.of(estimates[a] * factor).toPlainString());
      }
      treatments.add(new Treatment(String.valueOf(i), sets, profileSets));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    Experiment experiment = new Experiment(base, profilesDir, sweep.sets(), treatments, sweep.replications());
    return new SweepPlan(file, bound, base, points, experiment);
  }

  /**
   * The value of a profile axis: {@code path} in the profile must be a sourced number whose source
   * says {@code estimate}.
   */
  private static double estimate(Bound<Sweep> bound, ProfileLibrary library, int a, Sweep.Axis axis)
      throws ConfigException {
    String folder = axis.profile().substring(0, axis.profile().indexOf('/'));
    String id = axis.profile().substring(folder.length() + 1);
    ProfileKind<?> kind = null;
    for (ProfileKind<?> k : ProfileKind.all()) {
      kind = k.folder().equals(folder) ? k : kind;
    }
    JsonNode node;
    try {
      node = JsonRecords.toTree(library.get(kind, id).value());
    } catch (ConfigException e) {
      throw new ConfigException(bound.errorAt("axes[" + a + "].profile", "does not load: "
          + e.errors().get(0).format()));
    }
    for (String step : axis.path().split("\\.")) {
      int bracket = step.indexOf('[');
      node = node.path(bracket < 0 ? step : step.substring(0, bracket));
      for (int at = bracket; at >= 0; at = step.indexOf('[', at + 1)) {
        node = node.path(Integer.parseInt(step.substring(at + 1, step.indexOf(']', at))));
      }
    }
    String source = node.path("source").asText("");
    if (!node.path("value").isNumber() || !source.strip().toLowerCase(java.util.Locale.ROOT).startsWith("estimate")) {
      throw new ConfigException(bound.errorAt("axes[" + a + "].path", "'" + axis.path() + "' in " + axis.profile()
          + " is " + (node.path("value").isNumber() ? "not marked estimate (source: \"" + source + "\")"
              : "not a sourced number") + "; allowed: a {value, source} whose source starts with estimate"));
    }
    return node.path("value").asDouble();
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
    Map<Map<String, List<String>>, ProfileLibrary> perturbed = new HashMap<>();
    for (int i = 0; i < points.size(); i++) {
      try {
        Map<String, List<String>> profileSets = experiment.treatments().get(i).profileSets();
        RunPipeline.prepare(experiment.request(new ExperimentRun(i, 0, seeds[i])), profileSets.isEmpty() ? library
            : perturbed.computeIfAbsent(profileSets, library::withSets));
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

  /** The axes' column names, in order: each path, or profile:FOLDER/ID:PATH. */
  public List<String> axisPaths() {
    List<String> paths = new ArrayList<>();
    for (Sweep.Axis a : sweep().axes()) {
      paths.add(a.label());
    }
    return paths;
  }
}
