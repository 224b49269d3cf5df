package dev.tokentherm.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * schemas/sweep.schema.json equals what the Sweep records generate (regenerate with
 * -Dtokentherm.updateSchemas=true), and every shipped sweep file passes both the schema and the binder.
 */
class SweepSchemaTest {
  @Test
  void committedSchemaMatchesTheRecords() throws IOException {
    if (Boolean.getBoolean("tokentherm.updateSchemas")) {
      Files.writeString(SweepSchema.FILE, SweepSchema.text(), StandardCharsets.UTF_8);
    }
    assertThat(SweepSchema.FILE).exists();
    assertThat(Files.readString(SweepSchema.FILE, StandardCharsets.UTF_8))
        .as("%s differs from the records; regenerate with -Dtokentherm.updateSchemas=true", SweepSchema.FILE)
        .isEqualTo(SweepSchema.text());
  }

  @Test
  void shippedSweepsPassTheSchemaAndLoad() throws Exception {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SweepSchema.text());
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("scenarios", "sweeps"))) {
      files = s.filter(f -> f.toString().endsWith(".yaml") && SweepPlan.isSweepFile(f)).sorted().toList(); // plans live there too
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(f.toFile());
      assertThat(schema.validate(tree)).as(f.toString()).isEmpty();
      SweepPlan plan = SweepPlan.load(f, null);
      assertThat(plan.points()).as(f.toString()).isNotEmpty();
    }
  }
}
