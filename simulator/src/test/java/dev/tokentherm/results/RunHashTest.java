package dev.tokentherm.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.config.Bound;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run hash covers the resolved scenario, the profiles, the data files and the code version. */
class RunHashTest {
  @Test
  void everyPartMovesTheHash() {
    RunHash.Parts base = new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.0");
    String hash = RunHash.of(base).sha256();
    assertThat(RunHash.of(base).sha256()).isEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s2", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.0")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g2"), Map.of("t.jsonl", "d"), "1.0")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d2"), "1.0")).sha256())
        .isNotEqualTo(hash);
    assertThat(RunHash.of(new RunHash.Parts("s", Map.of("gpu/x", "g"), Map.of("t.jsonl", "d"), "1.1")).sha256())
        .isNotEqualTo(hash);
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
    Bound<Scenario> reseeded = ScenarioLoader.load(file, List.of("seed=8"));
    assertThat(RunHash.of(reseeded.value(), profiles, file.toAbsolutePath().getParent()).sha256())
        .isNotEqualTo(hash.sha256());
  }
}
