package dev.tokentherm.experiment;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Treatments × replications of one base scenario. Every run is the base scenario with the
 * experiment's common assignments, then the treatment's, then {@code seed=}{@link Replications#seed}
 * of the treatment's own seed (the base scenario's, unless the treatment sets {@code seed}), so
 * treatments that leave the seed alone share every replication's seed.
 *
 * @param scenarioFile the base scenario
 * @param profilesDir hardware-profiles folder; null: the nearest one at or above the scenario
 * @param commonSets assignments every treatment starts from
 * @param replications runs per treatment, at least 1
 */
public record Experiment(Path scenarioFile, Path profilesDir, List<String> commonSets, List<Treatment> treatments,
    int replications) {
  public Experiment {
    commonSets = List.copyOf(commonSets);
    treatments = List.copyOf(treatments);
    if (replications < 1) {
      throw new IllegalArgumentException("replications " + replications + " < 1");
    }
  }

  /** The assignments of a treatment's runs, before the seed: the common ones, then its own. */
  public List<String> sets(int treatment) {
    List<String> all = new ArrayList<>(commonSets);
    all.addAll(treatments.get(treatment).sets());
    return all;
  }

  /**
   * Each treatment's base seed: the scenario's seed after its assignments (the file is read once
   * for all treatments that do not set {@code seed}).
   */
  public long[] baseSeeds() throws ConfigException {
    long[] seeds = new long[treatments.size()];
    Long common = null;
    for (int t = 0; t < seeds.length; t++) {
      boolean ownSeed = false;
      for (String s : treatments.get(t).sets()) {
        ownSeed |= s.strip().startsWith("seed=") || s.strip().startsWith("seed ");
      }
      if (ownSeed) {
        seeds[t] = ScenarioLoader.load(scenarioFile, sets(t)).value().seed();
      } else {
        if (common == null) {
          common = ScenarioLoader.load(scenarioFile, commonSets).value().seed();
        }
        seeds[t] = common;
      }
    }
    return seeds;
  }

  /** Every run, treatment by treatment, replication by replication. */
  public List<ExperimentRun> runs(long[] baseSeeds) {
    List<ExperimentRun> runs = new ArrayList<>();
    for (int t = 0; t < treatments.size(); t++) {
      for (int r = 0; r < replications; r++) {
        runs.add(new ExperimentRun(t, r, Replications.seed(baseSeeds[t], r)));
      }
    }
    return runs;
  }

  /** The profiles every run reads: one library, which keeps each profile it has read. */
  public ProfileLibrary library() {
    return LoadedScenario.library(scenarioFile, profilesDir);
  }

  /** The pipeline request of one run: summary.json and manifest.json only (no row files). */
  public RunPipeline.Request request(ExperimentRun run) {
    return RunPipeline.Request.of(scenarioFile, sets(run.treatment())).withSeed(run.seed())
        .withProfiles(profilesDir).withRowFiles(false);
  }
}
