package dev.tokentherm.scenario;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.Catalog;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads scenario files: YAML → validated {@link Scenario} records, with {@code --set} overrides,
 * every error as one line naming file:line:column and the field path. Policy names are checked
 * against a {@link Catalog} (the policy registry): the installed one, or one given.
 */
public final class ScenarioLoader {
  private ScenarioLoader() {}

  /**
   * @param sets {@code --set path=value} options ({@code deployments[0].replicas=24}), applied in
   *     order before binding
   * @throws ConfigException listing every problem found
   */
  public static Bound<Scenario> load(Path file, List<String> sets) throws ConfigException {
    return load(file, sets, Catalog.installed());
  }

  public static Bound<Scenario> load(Path file, List<String> sets, Catalog policies)
      throws ConfigException {
    return ConfigLoader.load(file, Scenario.class, sets, policies);
  }

  /** Binds scenario text; {@code fileNameForErrors} is the name errors show. */
  public static Bound<Scenario> parse(String yaml, String fileNameForErrors)
      throws ConfigException {
    return parse(yaml, fileNameForErrors, List.of());
  }

  public static Bound<Scenario> parse(String yaml, String fileNameForErrors, List<String> sets)
      throws ConfigException {
    return parse(yaml, fileNameForErrors, sets, Catalog.installed());
  }

  public static Bound<Scenario> parse(String yaml, String fileNameForErrors, List<String> sets,
      Catalog policies) throws ConfigException {
    return ConfigLoader.parse(yaml, fileNameForErrors, Scenario.class, sets, policies);
  }
}
