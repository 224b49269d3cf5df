package dev.tokentherm.sweep;

import dev.tokentherm.config.JsonSchemaWriter;
import java.nio.file.Path;

/** The JSON Schema of sweep files, committed as schemas/sweep.schema.json (a test keeps it equal). */
public final class SweepSchema {
  /** The committed schema, relative to the repository root. */
  public static final Path FILE = Path.of("schemas", "sweep.schema.json");

  private SweepSchema() {}

  /**
   * The schema derived from the {@link Sweep} records, with one change: an axis's values are read as
   * the text they are written with (so {@code [1, 2]} and {@code [bf16, fp8]} both bind), which the
   * schema states as strings, numbers or booleans rather than strings alone.
   */
  public static String text() {
    String derived = JsonSchemaWriter.schemaOf(Sweep.class);
    String pad = " ".repeat(10);
    String values = pad + "\"description\": \"the values, each as --set would take it (numbers, names)\",\n"
        + pad + "\"type\": \"array\",\n" + pad + "\"items\": {\n" + pad + "  \"type\": \"string\"\n";
    if (!derived.contains(values)) {
      throw new IllegalStateException("the sweep schema's axis values changed shape; update SweepSchema");
    }
    return derived.replace(values, values.replace("\"type\": \"string\"\n", "\"type\": [\n"
        + pad + "    \"string\",\n" + pad + "    \"number\",\n" + pad + "    \"boolean\"\n" + pad + "  ]\n"));
  }
}
