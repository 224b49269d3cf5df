package dev.tokentherm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * schemas/plan.schema.json must equal what the Plan records generate; regenerate with
 * -Dtokentherm.updateSchemas=true (as ScenarioSchemasTest).
 */
class PlanSchemaTest {
  private static final Path COMMITTED = Path.of("schemas", PlanSchema.FILE);

  @Test
  void committedSchemaMatchesTheRecords() throws IOException {
    if (Boolean.getBoolean("tokentherm.updateSchemas")) {
      Files.writeString(COMMITTED, PlanSchema.text(), StandardCharsets.UTF_8);
    }
    assertThat(COMMITTED).exists();
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as("%s differs from the records; regenerate with -Dtokentherm.updateSchemas=true", COMMITTED)
        .isEqualTo(PlanSchema.text());
    assertThat(PlanSchema.text()).contains("\"candidates\"", "\"gpu_hour_usd\"", "\"tolerance\"",
        "{ttft,tpot,tbt,max_tbt,e2e,queue}_{p50,p90,p99}_ms");
  }
}
