package dev.tokentherm.sweep;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import dev.tokentherm.experiment.Treatment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A sweep file as written (schemas/sweep.schema.json is derived from these records). */
@Doc("A tokentherm sweep: a base scenario, axes of --set paths, how points are drawn, replications per point")
public record Sweep(
    @Required @Doc("the base scenario file, relative to the sweep file") String base,
    @Default("grid") @OneOf({"grid", "zip", "random", "lhs"})
    @Doc("grid: every combination of the axes' values; zip: the i-th value of every axis together; random:"
        + " samples drawn independently; lhs: a Latin hypercube of samples (each axis's range cut into as many"
        + " equal strata as samples, each stratum hit once)") String mode,
    @Required @MinSize(1) @Doc("the scenario fields varied, each by its --set path") List<Axis> axes,
    @Range(min = 1, max = MAX_POINTS) @Doc("points drawn in random and lhs modes") Integer samples,
    @Default("1") @Doc("seed of the random and lhs draws (the runs' seeds come from the scenario's)") long seed,
    @Default("1") @Range(min = 1, max = MAX_REPLICATIONS)
    @Doc("runs per point, replication r with seed (scenario seed + r × 0x9E3779B97F4A7C15) mod 2^63") int replications,
    @Default("[]") @Doc("--set assignments applied to every point before the axes' (e.g. shorter runs)") List<String> sets,
    @Doc("price of one GPU-hour in US dollars, with its source: adds $/hour (GPUs × price) to the third Pareto"
        + " front") Sourced gpuHourUsd,
    @Default("[throughput.output_tokens_per_s, latency.ttft_ms.p99, latency.tbt_ms.p99, energy.j_per_output_token,"
        + " slo.attainment]")
    @Doc("summary metrics (dotted keys of summary.json) whose paired differences against point 0 are reported")
    List<String> compare) implements Validatable {

  /** Most points a sweep may have. */
  public static final int MAX_POINTS = 100_000;
  /** Most replications per point. */
  public static final int MAX_REPLICATIONS = 1_000;

  static final Pattern PROFILE = Pattern.compile("(gpus|nodes|models|stacks|connectors)/[A-Za-z0-9._-]+");
  static final Pattern PATH = Treatment.SET_PATH;

  /** One scenario field varied: a list of values, or (random and lhs) a numeric range. */
  @Doc("One scenario field varied")
  public record Axis(
      @Required @Doc("the field's --set path, e.g. deployments[0].replicas") String path,
      @MinSize(1) @Doc("the values, each as --set would take it (numbers, names)") List<String> values,
      @Doc("random and lhs: draw from this numeric range instead of values") Bounds range,
      @Default("false") @Doc("round range draws to whole numbers") boolean integer,
      @Default("false") @Doc("draw range values uniformly in log space (min must be above 0)") boolean log,
      @Doc("a hardware profile, FOLDER/ID (gpus/h100-sxm): then path is a value in it marked estimate"
          + " ({value, source: \"estimate: ...\"}) and values or range are factors it is scaled by (0.8, 1.2)")
      String profile) implements Validatable {
    /** The axis's column name: its path, or {@code profile:FOLDER/ID:PATH} for a profile value's factor. */
    public String label() {
      return profile == null ? path : "profile:" + profile + ":" + path;
    }

    @Override
    public void validate(Validation v) {
      if (profile != null && !PROFILE.matcher(profile).matches()) {
        v.error("profile", "'" + profile + "' is not a profile; allowed: FOLDER/ID with FOLDER one of gpus, nodes,"
            + " models, stacks, connectors, e.g. gpus/h100-sxm");
      }
      if (!PATH.matcher(path).matches()) {
        v.error("path", "'" + path + "' is not a field path; allowed: keys and [index] joined by dots, e.g."
            + " deployments[0].replicas");
      }
      if ((values == null) == (range == null)) {
        v.error("", values == null ? "has neither values nor range; allowed: one of them"
            : "has both values and range; allowed: one of them");
      }
      if ((integer || log) && range == null) {
        v.error(integer ? "integer" : "log", "applies to a range; allowed: with range, or false");
      }
      if (log && range != null && range.min() <= 0) {
        v.error("range.min", "is " + range.min() + "; allowed: above 0 with log: true");
      }
      if (values != null) {
        for (int i = 0; i < values.size(); i++) {
          if (values.get(i).isBlank()) {
            v.error("values[" + i + "]", "is empty; allowed: a value as --set takes it");
          }
        }
      }
    }
  }

  /** A numeric range, both ends included. */
  @Doc("A numeric range, both ends included")
  public record Bounds(@Required @Doc("lowest value") double min, @Required @Doc("highest value") double max)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      if (!(max >= min)) {
        v.error("max", "is " + max + ", below min " + min + "; allowed: at least min");
      }
    }
  }

  @Override
  public void validate(Validation v) {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < axes.size(); i++) {
      Axis a = axes.get(i);
      if (!paths.add(a.label())) {
        v.error("axes[" + i + "].path", "'" + a.path() + "' is varied by an earlier axis; allowed: each path once");
      }
    }
    boolean drawn = mode.equals("random") || mode.equals("lhs");
    if (drawn && samples == null) {
      v.error("samples", "is missing; allowed: the number of points to draw in " + mode + " mode (1 to "
          + MAX_POINTS + ")");
    }
    if (!drawn && samples != null) {
      v.error("samples", "applies to random and lhs modes; allowed: leave it out in " + mode + " mode");
    }
    if (!drawn) {
      for (int i = 0; i < axes.size(); i++) {
        if (axes.get(i).range() != null) {
          v.error("axes[" + i + "].range", "applies to random and lhs modes; allowed: values in " + mode + " mode");
        }
      }
    }
    if (mode.equals("zip")) {
      int n = -1;
      for (int i = 0; i < axes.size(); i++) {
        List<String> vs = axes.get(i).values();
        if (vs != null && n < 0) {
          n = vs.size();
        } else if (vs != null && vs.size() != n) {
          v.error("axes[" + i + "].values", "has " + vs.size() + " values, axes[0] has " + n
              + "; allowed: as many values on every axis in zip mode");
        }
      }
    }
    if (mode.equals("grid")) {
      long points = 1;
      for (Axis a : axes) {
        points *= a.values() == null ? 1 : a.values().size();
        if (points > MAX_POINTS) {
          v.error("axes", "make more than " + MAX_POINTS + " points; allowed: at most " + MAX_POINTS
              + " (fewer values, or mode: random or lhs)");
          break;
        }
      }
    }
    for (int i = 0; i < compare.size(); i++) {
      if (!PATH.matcher(compare.get(i)).matches()) {
        v.error("compare[" + i + "]", "'" + compare.get(i) + "' is not a summary metric key; allowed: dotted keys"
            + " of summary.json, e.g. latency.ttft_ms.p99");
      }
    }
  }
}
