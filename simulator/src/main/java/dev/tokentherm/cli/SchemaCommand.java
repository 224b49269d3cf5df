package dev.tokentherm.cli;

import dev.tokentherm.scenario.ScenarioSchemas;
import dev.tokentherm.sweep.SweepSchema;
import java.util.concurrent.Callable;
import dev.tokentherm.scenario.ScenarioReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm schema}: the JSON Schema of scenario files (or of sweep files), for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of scenario files (also committed as schemas/scenario.schema.json), "
        + "or with --markdown the README's scenario reference table. The policy names it allows are listed,"
        + " one line each, by 'tokentherm policies'.")
final class SchemaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--markdown", description = "print the scenario reference as a Markdown table")
  boolean markdown;

  @Option(names = "--sweep", description = "print the JSON Schema of sweep files (schemas/sweep.schema.json)")
  boolean sweep;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(sweep ? SweepSchema.text()
        : markdown ? ScenarioReference.markdown() : ScenarioSchemas.scenarioSchema());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
