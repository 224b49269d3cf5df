package dev.tokentherm.experiment;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.Limits;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.sim.DeploymentPlan;
import dev.tokentherm.sim.SetupException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A scenario with its resolved profiles (what run, validate, bench and sweeps load). */
public record LoadedScenario(Bound<Scenario> scenario, ResolvedProfiles profiles) {
  public static LoadedScenario load(Path file, List<String> sets, Path profilesDir) throws ConfigException {
    return load(file, sets, profilesDir, PolicyRegistry.standard());
  }

  /** The scenario with its policy names checked against {@code policies}, and its profiles. */
  public static LoadedScenario load(Path file, List<String> sets, Path profilesDir, PolicyRegistry policies)
      throws ConfigException {
    return load(file, sets, library(file, profilesDir), policies);
  }

  /** As above, the profiles taken from {@code library} (which keeps what it read: many runs share one). */
  public static LoadedScenario load(Path file, List<String> sets, ProfileLibrary library, PolicyRegistry policies)
      throws ConfigException {
    Bound<Scenario> bound = ScenarioLoader.load(file, sets, policies);
    return new LoadedScenario(bound, library.resolve(bound));
  }

  /** The profiles of a scenario: {@code profilesDir}, else the nearest hardware-profiles/ at or above it. */
  public static ProfileLibrary library(Path file, Path profilesDir) {
    return new ProfileLibrary(profilesDir != null ? profilesDir : ProfileLibrary.locate(file));
  }

  /**
   * Limits that need the plans: the KV blocks of every replica together (each block costs
   * bookkeeping memory up front).
   */
  public static void checkPlans(Bound<Scenario> scenario, List<DeploymentPlan> plans) throws ConfigException {
    long total = 0;
    for (int i = 0; i < plans.size(); i++) {
      DeploymentPlan p = plans.get(i);
      total += (long) p.spec().replicas() * Math.max(0, p.kv().blocks());
      if (total > Limits.MAX_KV_BLOCKS || total < 0) {
        String path = "deployments[" + i + "]" + (p.kv().measuredBlocks() ? ".kv.num_gpu_blocks" : ".replicas");
        throw new ConfigException(scenario.errorAt(path, "brings the run to " + total
            + " KV blocks (" + p.kv().blocks() + " per replica × " + p.spec().replicas()
            + " replicas, with the deployments before it); allowed: at most " + Limits.MAX_KV_BLOCKS
            + " KV blocks in one run (each costs ~50 bytes of bookkeeping up front); larger"
            + " kv.block_tokens, fewer replicas or a smaller kv.num_gpu_blocks"));
      }
    }
  }

  /** Turns setup problems into located one-line errors. */
  public static ConfigException located(Bound<Scenario> scenario, SetupException e) {
    List<ConfigError> errors = new ArrayList<>();
    for (SetupException.Problem p : e.problems()) {
      errors.add(scenario.errorAt(p.path(), p.message()));
    }
    return new ConfigException(errors, e.unlisted());
  }
}
