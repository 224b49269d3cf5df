package dev.tokentherm.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tokentherm.config.Bound;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.sim.Progress;
import dev.tokentherm.sim.RunResult;
import dev.tokentherm.sim.RunSummary;
import dev.tokentherm.sim.Simulation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The summary.json record model: the committed schema is the one the records generate (regenerate
 * with: mvn -o -pl simulator test -Dtest=SummaryModelTest -Dtokentherm.updateSchemas=true), and every
 * shipped scenario's summary.json meets it, reads back into the record, and is written again byte for
 * byte, with the same console table.
 */
class SummaryModelTest {
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(ResultsSchema.summary());

  @Test
  void committedSchemaMatchesTheRecords() throws IOException {
    if (Boolean.getBoolean("tokentherm.updateSchemas")) {
      Files.writeString(ResultsSchema.SUMMARY_FILE, ResultsSchema.summary(), StandardCharsets.UTF_8);
    }
    assertThat(ResultsSchema.SUMMARY_FILE).as("committed; regenerate with -Dtokentherm.updateSchemas=true").exists();
    assertThat(Files.readString(ResultsSchema.SUMMARY_FILE, StandardCharsets.UTF_8))
        .as("%s differs from the records; regenerate with -Dtokentherm.updateSchemas=true", ResultsSchema.SUMMARY_FILE)
        .isEqualTo(ResultsSchema.summary());
  }

  static Stream<Path> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("scenarios"))) { // surefire runs in the repository root
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shippedScenariosMeetTheSchemaAndReadBackToTheSameBytes(Path file) throws Exception {
    Bound<Scenario> bound = ScenarioLoader.load(file, List.of());
    ResolvedProfiles profiles = new ProfileLibrary(ProfileLibrary.locate(file)).resolve(bound);
    RunResult r = Simulation.run(bound.value(), profiles, RunSinks.NONE, Progress.NONE,
        file.toAbsolutePath().getParent());
    Summary summary = RunSummary.of(bound.value(), r);
    String text = SummaryJson.text(summary);

    Set<ValidationMessage> problems = SCHEMA.validate(new ObjectMapper().readTree(text));
    assertThat(problems).as("%s's summary.json against %s", file, ResultsSchema.SUMMARY_FILE).isEmpty();
    com.fasterxml.jackson.databind.node.ObjectNode unknown = (com.fasterxml.jackson.databind.node.ObjectNode)
        new ObjectMapper().readTree(text);
    ((com.fasterxml.jackson.databind.node.ObjectNode) unknown.get("kv")).put("bogus", 1);
    assertThat(SCHEMA.validate(unknown)).as("a key the records do not name").isNotEmpty();

    Summary read = SummaryJson.read(text);
    assertThat(SummaryJson.text(read)).isEqualTo(text);
    assertThat(RunSummary.table(read, r)).isEqualTo(RunSummary.table(summary, r));
  }

  @Test
  void keysAreSnakeCaseAndNotANumberIsNull() throws IOException {
    assertThat(JsonRecords.key("evictedBlocksPerSFirstThird")).isEqualTo("evicted_blocks_per_s_first_third");
    assertThat(JsonRecords.key("e2eMs")).isEqualTo("e2e_ms");
    String text = SummaryJson.text(new Summary.Slo(2000, 50, 0.9, Double.NaN, false));
    assertThat(text).isEqualTo("""
        {
          "ttft_ms" : 2000,
          "tpot_ms" : 50,
          "target" : 0.9,
          "attainment" : null,
          "met" : false
        }
        """);
    assertThat(SummaryJson.read(text, Summary.Slo.class).attainment()).isNaN();
  }

  @Test
  void absentKeysAreLeftOutOrNullAsMarked() {
    String text = SummaryJson.text(new Summary.Turn(5, null, null, null, null, null, null, null, null, null, null));
    assertThat(text).isEqualTo("""
        {
          "minute" : 5,
          "turn" : null
        }
        """);
  }
}
