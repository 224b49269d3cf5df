package dev.tokentherm.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.config.Bound;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run hash covers the resolved scenario, the profiles, the data files and the code (version and class files). */
class RunHashTest {
  @Test
  void everyPartMovesTheHash() {
    RunHash.Parts base = new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.0", "c");
    String hash = RunHash.of(base).sha256();
    assertThat(RunHash.of(base).sha256()).isEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s2", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.0", "c")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g2"), Map.of("t.jsonl", "d"), "1.0", "c")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d2"), "1.0", "c")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.1", "c")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.0", "c2")).sha256())
        .isNotEqualTo(hash);
  }

  /** The class files' hash is over paths and bytes: any class changed, added or renamed moves it. */
  @Test
  void theClassesHashFollowsEveryClassFile(@TempDir Path dir) throws Exception {
    Path own = Files.createDirectories(dir.resolve("dev/tokentherm/x"));
    Files.write(own.resolve("A.class"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("Elsewhere.class"), new byte[] {9}); // not the simulator's: left out
    String hash = CodeVersion.folderSha256(dir);
    Files.write(dir.resolve("Elsewhere.class"), new byte[] {8});
    assertThat(CodeVersion.folderSha256(dir)).isEqualTo(hash);
    Files.write(own.resolve("A.class"), new byte[] {1, 2, 4});
    String changed = CodeVersion.folderSha256(dir);
    assertThat(changed).isNotEqualTo(hash);
    Files.move(own.resolve("A.class"), own.resolve("B.class"));
    assertThat(CodeVersion.folderSha256(dir)).isNotEqualTo(changed);
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("t.jar")))) {
      jar.putNextEntry(new JarEntry("dev/tokentherm/x/B.class"));
      jar.write(new byte[] {1, 2, 4});
      jar.putNextEntry(new JarEntry("com/other/C.class"));
      jar.write(new byte[] {7});
    }
    assertThat(CodeVersion.jarSha256(dir.resolve("t.jar"))).isEqualTo(CodeVersion.folderSha256(dir));
  }

  @Test
  void aTraceScenarioHashesItsProfilesAndTrace() throws Exception {
    Path file = Path.of("scenarios/mixed-prefix-kv.yaml");
    Bound<Scenario> bound = ScenarioLoader.load(file, List.of());
    ResolvedProfiles profiles = new ProfileLibrary(ProfileLibrary.locate(file)).resolve(bound);
    RunHash hash = RunHash.of(bound.value(), profiles, file.toAbsolutePath().getParent());
    assertThat(hash.parts().profilesSha256()).containsKeys("gpu/h100-sxm", "model/llama-3.1-8b");
    assertThat(hash.parts().dataFilesSha256()).hasSize(1);
    assertThat(hash.parts().scenarioSha256()).isEqualTo(RunHash.scenarioSha256(bound.value()));
    assertThat(hash.parts().codeSha256()).matches("[0-9a-f]{64}"); // the classes folder the tests run from
    Bound<Scenario> reseeded = ScenarioLoader.load(file, List.of("seed=8"));
    assertThat(RunHash.of(reseeded.value(), profiles, file.toAbsolutePath().getParent()).sha256())
        .isNotEqualTo(hash.sha256());
  }

  @Test
  void theHashWithoutSeedIsSharedBySeedsAndNotByOtherSets() throws Exception {
    Path file = Path.of("scenarios/quickstart.yaml");
    RunHash seed42 = hash(file, List.of());
    RunHash seed7 = hash(file, List.of("seed=7"));
    RunHash sarathi = hash(file, List.of("seed=7", "deployments[0].scheduler.policy=sarathi"));
    assertThat(seed7.sha256()).isNotEqualTo(seed42.sha256());
    assertThat(seed7.scenarioSha256WithoutSeed()).isEqualTo(seed42.scenarioSha256WithoutSeed()).matches("[0-9a-f]{64}");
    assertThat(sarathi.scenarioSha256WithoutSeed()).isNotEqualTo(seed7.scenarioSha256WithoutSeed());
  }

  private static RunHash hash(Path file, List<String> sets) throws Exception {
    Bound<Scenario> bound = ScenarioLoader.load(file, sets);
    ResolvedProfiles profiles = new ProfileLibrary(ProfileLibrary.locate(file)).resolve(bound);
    return RunHash.of(bound.value(), profiles, file.toAbsolutePath().getParent());
  }
}
