package dev.tokentherm.sim;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.metrics.TurnSink;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.serving.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads scenarios (files or text) and runs them in memory, keeping every closed turn. */
final class SimTestSupport {
  private SimTestSupport() {}

  /** A scenario with its resolved profiles. */
  record Loaded(Scenario scenario, ResolvedProfiles profiles, Path baseDir) {
    Run run() {
      Turns turns = new Turns();
      try {
        return new Run(Simulation.run(scenario, profiles, dev.tokentherm.metrics.RunSinks.turnsOnly(turns), Progress.NONE, baseDir), turns.rows);
      } catch (SetupException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    Run runWithFaults(dev.tokentherm.serving.Faults faults) {
      Turns turns = new Turns();
      try {
        return new Run(Simulation.runWithFaults(scenario, profiles, dev.tokentherm.metrics.RunSinks.turnsOnly(turns),
            Progress.NONE, baseDir, faults), turns.rows);
      } catch (SetupException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    Run runShuffled(long seed) {
      Turns turns = new Turns();
      try {
        return new Run(Simulation.runWithShuffledTies(scenario, profiles, turns, seed, baseDir), turns.rows);
      } catch (SetupException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
  }

  record Run(RunResult result, List<Request> turns) {}

  static Loaded text(String yaml, String... sets) {
    try {
      return resolve(ScenarioLoader.parse(yaml, "test.yaml", List.of(sets)), Path.of(""));
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static Loaded file(String path, String... sets) {
    try {
      return resolve(ScenarioLoader.load(Path.of(path), List.of(sets)), Path.of(path).toAbsolutePath().getParent());
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Loaded resolve(Bound<Scenario> bound, Path baseDir) throws ConfigException {
    return new Loaded(bound.value(), TestProfiles.LIBRARY.resolve(bound), baseDir);
  }

  /** Collects the turns as they close. */
  static class Turns implements TurnSink {
    final List<Request> rows = new ArrayList<>();

    @Override
    public void turn(Request r) {
      rows.add(r);
    }

    @Override
    public void close() {}
  }
}
