package dev.tokentherm.plan;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.config.ConfigLoader;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.experiment.Experiment;
import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.RunPipeline;
import dev.tokentherm.experiment.Treatment;
import dev.tokentherm.sim.DeploymentPlan;
import dev.tokentherm.sim.SetupException;
import dev.tokentherm.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plan file read and resolved: its base scenario (relative to the plan file), and for each
 * candidate and value of the searched axis an experiment of one treatment (the plan's sets, the
 * candidate's, then {@code path=value}) with the plan's replications.
 */
public final class PlanFile {
  private static final Pattern PLAN_KEY = Pattern.compile("(?m)^candidates\\s*:");

  private final Bound<Plan> bound;
  private final Path base;
  private final Path profilesDir;
  private final List<Map<String, String>> gpuOfDeployment = new ArrayList<>();

  private PlanFile(Bound<Plan> bound, Path base, Path profilesDir) {
    this.bound = bound;
    this.base = base;
    this.profilesDir = profilesDir;
  }

  /** Whether a YAML file is a plan (it has a top-level {@code candidates:} key) rather than a scenario. */
  public static boolean isPlan(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) <= ConfigLoader.MAX_FILE_BYTES
          && PLAN_KEY.matcher(Files.readString(file)).find();
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // the scenario loader reports the file
    }
  }

  /**
   * Reads a plan file, then loads every candidate's scenario at both ends of the bracket, as a run
   * would, before anything runs.
   *
   * @param profilesDir hardware-profiles folder for the runs; null: the nearest one at or above the base
   * @throws ConfigException one-line errors naming the plan file, the field and what is allowed
   */
  public static PlanFile load(Path file, Path profilesDir) throws ConfigException {
    Bound<Plan> bound = ConfigLoader.load(file, Plan.class, List.of());
    Plan plan = bound.value();
    Path folder = file.getParent();
    Path base = (folder == null ? Path.of(plan.base()) : folder.resolve(plan.base())).normalize();
    if (!Files.isRegularFile(base)) {
      throw new ConfigException(bound.errorAt("base", "'" + plan.base() + "' (" + base + ") is not a file;"
          + " allowed: a scenario file, relative to the plan file"));
    }
    PlanFile resolved = new PlanFile(bound, base, profilesDir);
    resolved.check();
    return resolved;
  }

  private void check() throws ConfigException {
    Plan plan = plan();
    Plan.Search search = plan.search();
    List<ConfigError> errors = new ArrayList<>();
    for (int c = 0; c < plan.candidates().size(); c++) {
      Map<String, String> gpus = new LinkedHashMap<>();
      for (double value : new double[] {search.easy(), search.hard()}) {
        Experiment e = experiment(c, value);
        try {
          RunPipeline.Prepared p = RunPipeline.prepare(e.request(new ExperimentRun(0, 0, e.baseSeeds()[0])));
          for (DeploymentPlan d : Simulation.plan(p.scenario(), p.loaded().profiles())) {
            gpus.put(d.spec().name(), d.gpu().id());
          }
        } catch (ConfigException ex) {
          String field = ex.errors().get(0).file().startsWith("--set " + search.path() + "=")
              ? "search." + (value == search.min() ? "min" : "max") : "candidates[" + c + "].sets";
          errors.add(bound.errorAt(field, "candidate '" + plan.candidates().get(c).name() + "' at " + search.path()
              + "=" + search.format(value) + " does not load: " + ex.errors().get(0).format()));
          break;
        } catch (SetupException ex) {
          errors.add(bound.errorAt("candidates[" + c + "].sets", "candidate '" + plan.candidates().get(c).name()
              + "' cannot be laid out: " + ex.getMessage()));
          break;
        }
      }
      gpuOfDeployment.add(gpus);
      if (errors.isEmpty() && plan.objective().equals("cost")) {
        for (String gpu : gpus.values()) {
          if (price(c, gpu) == null) {
            errors.add(bound.errorAt("gpu_hour_usd", "has no price for GPU profile '" + gpu + "' (candidate '"
                + plan.candidates().get(c).name() + "'); allowed: gpu_hour_usd: {" + gpu + ": {value: USD,"
                + " source: ...}} or the candidate's gpu_hour_usd, as objective: cost needs them"));
            break;
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  public Plan plan() {
    return bound.value();
  }

  public Bound<Plan> bound() {
    return bound;
  }

  /** The base scenario, resolved against the plan file's folder. */
  public Path base() {
    return base;
  }

  /** The runs of one probe: candidate {@code c} with the axis at {@code value}. */
  public Experiment experiment(int c, double value) {
    Plan plan = plan();
    Plan.Candidate candidate = plan.candidates().get(c);
    List<String> sets = new ArrayList<>(candidate.sets());
    sets.add(plan.search().path() + "=" + plan.search().format(value));
    return new Experiment(base, profilesDir, plan.sets(), List.of(new Treatment(candidate.name(), sets)),
        plan.replications());
  }

  /** Candidate c's GPU profile id by deployment name. */
  public Map<String, String> gpuOfDeployment(int c) {
    return gpuOfDeployment.get(c);
  }

  /** The price of a GPU-hour of a GPU profile for candidate c: its own, else the plan's; null when neither. */
  public Sourced price(int c, String gpu) {
    Sourced own = plan().candidates().get(c).gpuHourUsd();
    return own != null ? own : plan().gpuHourUsd().get(gpu);
  }
}
