package dev.tokentherm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScenarioReferenceTest {
  @Test
  void readmeCarriesTheCurrentScenarioReference() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme)
        .as("README.md's scenario reference is stale: paste `./tokentherm schema --markdown` into it")
        .contains(ScenarioReference.markdown());
  }

  @Test
  void everyScenarioKeyIsListed() {
    String table = ScenarioReference.markdown();
    assertThat(table).contains("| `horizon_s` | number | required | ≥ 0, ≤ 1000000000 |");
    assertThat(table).contains("| `deployments[].kv.gpu_memory_utilization` | number | `0.9` | > 0, ≤ 1 |");
    assertThat(table).contains("| `workload[].podcast.phrase_s` |");
  }
}
