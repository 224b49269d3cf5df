package dev.tokentherm.scenario;

import dev.tokentherm.config.Catalog;
import dev.tokentherm.config.JsonSchemaWriter;
import dev.tokentherm.hardware.ConnectorProfile;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.ModelProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON Schemas of scenario and profile files, committed under {@code schemas/} so that
 * editors can check and complete them; a test keeps the committed files equal to these texts.
 */
public final class ScenarioSchemas {
  /** Folder of the committed schemas, relative to the repository root. */
  public static final Path FOLDER = Path.of("schemas");

  private ScenarioSchemas() {}

  /** The scenario schema, its policy names taken from the installed policy registry. */
  public static String scenarioSchema() {
    return scenarioSchema(Catalog.installed());
  }

  /** The scenario schema, its policy names (enums and descriptions) taken from {@code policies}. */
  public static String scenarioSchema(Catalog policies) {
    return JsonSchemaWriter.schemaOf(Scenario.class, policies);
  }

  /** Every schema by file name: scenario.schema.json, then the five profile kinds. */
  public static Map<String, String> all() {
    Map<String, String> schemas = new LinkedHashMap<>();
    schemas.put("scenario.schema.json", scenarioSchema());
    schemas.put("gpu-profile.schema.json", JsonSchemaWriter.schemaOf(GpuProfile.class));
    schemas.put("node-profile.schema.json", JsonSchemaWriter.schemaOf(NodeProfile.class));
    schemas.put("model-profile.schema.json", JsonSchemaWriter.schemaOf(ModelProfile.class));
    schemas.put("stack-profile.schema.json", JsonSchemaWriter.schemaOf(StackProfile.class));
    schemas.put("connector-profile.schema.json", JsonSchemaWriter.schemaOf(ConnectorProfile.class));
    return schemas;
  }

  /** Writes every schema into a folder (the repository's schemas/ to update the committed ones). */
  public static void writeAll(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (Map.Entry<String, String> schema : all().entrySet()) {
      Files.writeString(folder.resolve(schema.getKey()), schema.getValue(), StandardCharsets.UTF_8);
    }
  }
}
