package dev.tokentherm.plan;

import dev.tokentherm.config.JsonSchemaWriter;

/**
 * The JSON Schema of plan files, committed as {@code schemas/plan.schema.json} (a test keeps it equal
 * to this text), so that editors check and complete them ({@code # yaml-language-server: $schema=...}).
 */
public final class PlanSchema {
  /** The committed file's name under schemas/. */
  public static final String FILE = "plan.schema.json";

  private PlanSchema() {}

  public static String text() {
    return JsonSchemaWriter.schemaOf(Plan.class);
  }
}
