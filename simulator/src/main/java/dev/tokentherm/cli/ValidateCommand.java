package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.experiment.LoadedScenario;
import dev.tokentherm.plan.PlanFile;
import dev.tokentherm.scenario.ProfileKind;
import dev.tokentherm.scenario.ProfileLibrary;
import dev.tokentherm.sim.SetupException;
import dev.tokentherm.sweep.SweepPlan;
import dev.tokentherm.sim.Simulation;
import dev.tokentherm.sim.TraceSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm validate FILE...}: checks sweep files (their base scenario and every point),
 * plans (PlanFile: their fields, then every candidate's scenario at both ends of the bracket),
 * scenarios (fields, profile ids, that every model fits,
 * every row of their traces: all bad rows, the first three shown, then how many more) and profile files (a file inside a gpus/, nodes/, models/ or stacks/ folder), without running.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check scenario, sweep, plan and profile files without running them; prints 'ok: FILE' or one line"
        + " per error.")
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "scenario, sweep, plan (a top-level candidates: key) or profile files (YAML)")
  List<Path> files;

  @Option(names = "--profiles", paramLabel = "DIR",
      description = "hardware-profiles folder for scenarios (default: the nearest one at or above each scenario)")
  Path profilesDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failed = 0;
    for (Path file : files) {
      try {
        ProfileKind<?> kind = profileKindOf(file);
        if (kind == null && SweepPlan.isSweepFile(file)) {
          SweepPlan.load(file, profilesDir).check(); // the file, its base, and every point's scenario
        } else if (kind == null && PlanFile.isPlan(file)) {
          PlanFile.load(file, profilesDir); // the plan's fields, then every candidate at both ends of the bracket
        } else if (kind != null) {
          String name = file.getFileName().toString();
          new ProfileLibrary(file.toAbsolutePath().getParent().getParent())
              .get(kind, name.substring(0, name.length() - ".yaml".length()));
        } else {
          LoadedScenario loaded = LoadedScenario.load(file, List.of(), profilesDir);
          try {
            LoadedScenario.checkPlans(loaded.scenario(),
                Simulation.plan(loaded.scenario().value(), loaded.profiles()));
            TraceSetup.check(loaded.scenario().value(), file.toAbsolutePath().getParent()); // every bad row
          } catch (SetupException e) {
            throw LoadedScenario.located(loaded.scenario(), e);
          }
        }
        out.println("ok: " + file);
      } catch (ConfigException e) {
        err.println(e.getMessage());
        failed++;
      }
    }
    out.flush();
    err.flush();
    return failed == 0 ? 0 : Main.BAD_INPUT;
  }

  /** The profile kind of a file in a {@code gpus/}, {@code nodes/}, … folder, else null (a scenario). */
  static ProfileKind<?> profileKindOf(Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent == null || !file.getFileName().toString().endsWith(".yaml")) {
      return null;
    }
    for (ProfileKind<?> kind : ProfileKind.all()) {
      if (parent.getFileName() != null && parent.getFileName().toString().equals(kind.folder())) {
        return kind;
      }
    }
    return null;
  }
}
