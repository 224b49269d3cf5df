package dev.tokentherm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed schemas/ files must equal what the records generate. After changing a record,
 * regenerate them with: mvn -o -pl simulator test -Dtest=ScenarioSchemasTest
 * -Dtokentherm.updateSchemas=true
 */
class ScenarioSchemasTest {
  // surefire runs in the repository root (see simulator/pom.xml)
  private static final Path COMMITTED = ScenarioSchemas.FOLDER;

  @Test
  void committedSchemasMatchTheRecords() throws IOException {
    if (Boolean.getBoolean("tokentherm.updateSchemas")) {
      ScenarioSchemas.writeAll(COMMITTED);
    }
    for (Map.Entry<String, String> schema : ScenarioSchemas.all().entrySet()) {
      Path file = COMMITTED.resolve(schema.getKey());
      assertThat(file).as("%s is committed; regenerate with -Dtokentherm.updateSchemas=true",
          file).exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as("%s differs from the records; regenerate with -Dtokentherm.updateSchemas=true",
              file)
          .isEqualTo(schema.getValue());
    }
  }

  @Test
  void scenarioSchemaStatesTypesDefaultsEnumsAndBounds() {
    String schema = ScenarioSchemas.scenarioSchema();
    assertThat(schema).startsWith("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Scenario",
          "description": "A tokentherm scenario: workload, cluster, deployments, policies and outputs",
          "type": "object",
          "properties": {
            "name": {
              "description": "name of the run; results go to results/<name>/ by default",
              "type": "string"
            },
            "seed": {
              "description": "seed of every random stream",
              "type": "integer",
              "default": 1
            },
        """).endsWith("}\n");
    assertThat(schema).contains("""
                "gpu_memory_utilization": {
                  "description": "share of HBM the engine may use (vLLM gpu_memory_utilization)",
                  "type": "number",
                  "exclusiveMinimum": 0,
                  "maximum": 1,
                  "default": 0.9
                },
        """);
    assertThat(schema).contains("""
                "weights_dtype": {
                  "description": "weight storage type",
                  "type": "string",
                  "enum": [
                    "bf16",
                    "fp16",
                    "fp8"
                  ],
                  "default": "bf16"
                },
        """);
    assertThat(schema).contains("""
                "report_minutes": {
                  "description": "minutes at which the summary reports the first phrase that arrives at or after them",
                  "type": "array",
                  "items": {
                    "type": "number",
                    "minimum": 0
                  },
                  "default": [
                    5,
                    55,
                    205,
                    305,
                    505
                  ]
                }
        """);
    assertThat(schema).contains("""
          "required": [
            "name",
            "horizon_s",
            "cluster",
            "deployments",
            "workload"
          ],
          "additionalProperties": false,
        """);
  }

  @Test
  void generationIsStable() {
    assertThat(ScenarioSchemas.all()).isEqualTo(ScenarioSchemas.all());
  }
}
