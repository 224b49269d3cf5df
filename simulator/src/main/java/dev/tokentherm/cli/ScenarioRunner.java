package dev.tokentherm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * How the gallery runs a scenario in-process into a results folder: the one seam between it and the
 * run pipeline ({@link #viaRunCommand} today; an extracted run pipeline can stand in for it).
 */
@FunctionalInterface
interface ScenarioRunner {
  /**
   * Runs {@code scenario} with the --set overrides into {@code out}, as {@code tokentherm run
   * SCENARIO --out OUT --set …} does.
   *
   * @return null when the run wrote its results, else the first line it printed on failure
   */
  String run(Path scenario, List<String> sets, Path out);

  /** Through {@code tokentherm run}'s own command, its console output dropped. */
  static ScenarioRunner viaRunCommand() {
    return (scenario, sets, out) -> {
      List<String> args = new ArrayList<>(List.of(scenario.toString(), "--out", out.toString()));
      for (String s : sets) {
        args.add("--set");
        args.add(s);
      }
      StringWriter errors = new StringWriter();
      CommandLine cli = new CommandLine(new RunCommand());
      cli.setOut(new PrintWriter(Writer.nullWriter()));
      cli.setErr(new PrintWriter(errors, true));
      int rc = cli.execute(args.toArray(new String[0]));
      String text = errors.toString().trim();
      return rc == 0 ? null : "exit " + rc + (text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse(""));
    };
  }
}
