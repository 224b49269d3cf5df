package dev.tokentherm.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.google.common.hash.Hashing;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.TraceSpec;
import dev.tokentherm.scenario.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What decides a run's results, hashed: two runs with the same {@link #sha256} read the same
 * resolved scenario (after defaults and --set), the same profile contents and data files, and ran
 * the same code (version and class files), so (the simulator being deterministic) they wrote the same summary.json.
 *
 * @param sha256 SHA-256 of the lines "scenario HASH", "profile KIND/ID HASH" (scenario order),
 *     "data PATH HASH", "code VERSION" and "classes HASH", each ended by "\n"
 * @param parts the hashed parts
 * @param scenarioSha256WithoutSeed the resolved scenario's SHA-256 with its {@code seed} left out
 *     ({@link #scenarioSha256WithoutSeed(Scenario)}): runs that differ only in their seed share it
 *     (not part of {@code sha256}); null when made from parts alone
 */
public record RunHash(String sha256, Parts parts, String scenarioSha256WithoutSeed) {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /**
   * The parts of the run hash.
   *
   * @param scenarioSha256 the resolved scenario as JSON (as manifest.json's scenario_sha256)
   * @param profilesSha256 each resolved profile as JSON, by "node/ID", "gpu/ID", "model/ID", "stack/ID"
   * @param dataFilesSha256 the bytes of each file the run reads (traces), by the path the scenario names
   * @param codeVersion the simulator's version ({@link CodeVersion#current})
   * @param codeSha256 the simulator's own class files as they run ({@link CodeVersion#classesSha256}),
   *     which tell apart two builds of one version
   */
  public record Parts(String scenarioSha256, Map<String, String> profilesSha256,
      Map<String, String> dataFilesSha256, String codeVersion, String codeSha256) {}

  /**
   * The hash of a run of {@code scenario} with its resolved profiles, its paths resolved against
   * {@code baseDir} (the scenario file's folder).
   *
   * @throws IOException when a data file cannot be read
   */
  public static RunHash of(Scenario scenario, ResolvedProfiles profiles, Path baseDir) throws IOException {
    Map<String, String> profileHashes = new LinkedHashMap<>();
    profiles.nodes().forEach((id, p) -> profileHashes.put("node/" + id, jsonSha256(p)));
    profiles.gpus().forEach((id, p) -> profileHashes.put("gpu/" + id, jsonSha256(p)));
    profiles.models().forEach((id, p) -> profileHashes.put("model/" + id, jsonSha256(p)));
    profiles.stacks().forEach((id, p) -> profileHashes.put("stack/" + id, jsonSha256(p)));
    Map<String, String> dataHashes = new LinkedHashMap<>();
    for (Workload w : scenario.workload()) {
      TraceSpec t = w.trace();
      if (t != null && !dataHashes.containsKey(t.path())) {
        dataHashes.put(t.path(), com.google.common.io.Files.asByteSource(baseDir.resolve(t.path()).toFile())
            .hash(Hashing.sha256()).toString());
      }
    }
    RunHash hash = of(new Parts(scenarioSha256(scenario), profileHashes, dataHashes, CodeVersion.current(),
        CodeVersion.classesSha256()));
    return new RunHash(hash.sha256(), hash.parts(), scenarioSha256WithoutSeed(scenario));
  }

  /** The hash of given parts. */
  public static RunHash of(Parts parts) {
    StringBuilder lines = new StringBuilder();
    lines.append("scenario ").append(parts.scenarioSha256()).append('\n');
    parts.profilesSha256().forEach((k, v) -> lines.append("profile ").append(k).append(' ').append(v).append('\n'));
    parts.dataFilesSha256().forEach((k, v) -> lines.append("data ").append(k).append(' ').append(v).append('\n'));
    lines.append("code ").append(parts.codeVersion()).append('\n');
    lines.append("classes ").append(parts.codeSha256()).append('\n');
    return new RunHash(sha256(lines.toString()), parts, null);
  }

  /** SHA-256 of the resolved scenario (after defaults and --set) as snake_case JSON. */
  public static String scenarioSha256(Scenario scenario) {
    return jsonSha256(scenario);
  }

  /**
   * SHA-256 of the resolved scenario as snake_case JSON without its top-level {@code seed}: the
   * identity of a group of replications (report --compare groups runs by it).
   */
  public static String scenarioSha256WithoutSeed(Scenario scenario) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(scenario);
    tree.remove("seed");
    return jsonSha256(tree);
  }

  private static String jsonSha256(Object value) {
    try {
      return sha256(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("scenario and profile records always serialise", e);
    }
  }

  private static String sha256(String text) {
    return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
  }
}
