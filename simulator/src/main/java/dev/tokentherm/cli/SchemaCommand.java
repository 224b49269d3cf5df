package dev.tokentherm.cli;

import dev.tokentherm.scenario.ScenarioSchemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm schema}: the JSON Schema of scenario files, for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of scenario files (also committed as schemas/scenario.schema.json).")
final class SchemaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ScenarioSchemas.scenarioSchema());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
