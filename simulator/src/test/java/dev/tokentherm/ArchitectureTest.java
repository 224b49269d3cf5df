package dev.tokentherm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the package boundaries of docs/DESIGN.md §2 true. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.tokentherm");

  @Test
  void engineDependsOnTheJdkAlone() {
    noClasses().that().resideInAPackage("dev.tokentherm.engine..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.tokentherm.engine..", "java..")
        .check(MAIN);
  }

  /** The links and flows (net) know the clock alone: swap and the tiers call them, never the reverse. */
  @Test
  void theNetworkDependsOnTheEngineAlone() {
    noClasses().that().resideInAPackage("dev.tokentherm.net..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.tokentherm.net..", "dev.tokentherm.engine..",
            "java..")
        .check(MAIN);
  }

  @Test
  void onlyTheCliKnowsTheCli() {
    noClasses().that().resideOutsideOfPackage("dev.tokentherm.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.tokentherm.cli..")
        .check(MAIN);
  }

  @Test
  void theModelAndTheRooflineKnowNothingOfServing() {
    noClasses().that().resideInAnyPackage("dev.tokentherm.model..", "dev.tokentherm.perf..",
            "dev.tokentherm.hardware..", "dev.tokentherm.power..", "dev.tokentherm.kv..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tokentherm.serving..",
            "dev.tokentherm.sim..", "dev.tokentherm.workload..", "dev.tokentherm.metrics..")
        .check(MAIN);
  }

  /**
   * perf says what an iteration does (its time in parts, and each pipeline stage's activity per
   * operator); power alone turns activity into watts (power.StagePower with the calibrated
   * power.PowerModel). Giving {@code perf.Roofline} back a {@code PowerModel} field fails this test
   * with "Field <dev.tokentherm.perf.Roofline.power> has type <dev.tokentherm.power.PowerModel>".
   */
  @Test
  void perfReportsActivityAndPowerMakesWatts() {
    noClasses().that().resideInAPackage("dev.tokentherm.perf..")
        .should().dependOnClassesThat().resideInAPackage("dev.tokentherm.power..")
        .check(MAIN);
  }

  /**
   * The thermal model is told of each GPU's power (power.GpuDevice.draw) and answers with
   * temperatures; it never reaches into what makes the power: serving, the wiring, the workload or
   * the metrics.
   */
  @Test
  void theThermalModelKnowsNothingOfServing() {
    noClasses().that().resideInAPackage("dev.tokentherm.thermal..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tokentherm.serving..",
            "dev.tokentherm.sim..", "dev.tokentherm.workload..", "dev.tokentherm.metrics..")
        .check(MAIN);
  }

  @Test
  void servingDoesNotComputeTime() {
    // serving asks perf for iteration costs and the model for what a sequence holds; it never
    // reads hardware profiles itself
    noClasses().that().resideInAPackage("dev.tokentherm.serving..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tokentherm.hardware..")
        .check(MAIN);
  }

  /**
   * The policy registry sits above serving and kv (it names their implementations), so only the
   * wiring (sim), the in-process run pipeline above it (experiment) and the command line use it;
   * scenario and config see it as a config.Catalog.
   */
  @Test
  void onlyTheWiringKnowsThePolicyRegistry() {
    noClasses().that().resideOutsideOfPackages("dev.tokentherm.registry..", "dev.tokentherm.sim..",
            "dev.tokentherm.experiment..", "dev.tokentherm.sweep..", "dev.tokentherm.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.tokentherm.registry..")
        .check(MAIN);
  }

  /**
   * A router reads the deployments only through its read-only view (serving.routing's
   * DeploymentsView), so it can be tested on a hand-built view and never changes a replica.
   */
  @Test
  void routersSeeOnlyTheirView() {
    noClasses().that().resideInAPackage("dev.tokentherm.serving.routing..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.tokentherm.serving.routing..", "java..")
        .check(MAIN);
  }

  /**
   * No two packages depend on each other, directly or round a loop. Two cycles were broken for
   * this: model ⇄ scenario (the attention override, {@code model.AttentionSpec}, now lives in
   * model, which scenario records use) and serving ⇄ metrics (the replica's energy and gap books,
   * {@code serving.books}, moved out of metrics, which reads serving's requests). Adding back,
   * say, an import of {@code dev.tokentherm.scenario.Scenario} in {@code model.Architecture}
   * fails this test with the cycle "Slice model -> Slice scenario -> Slice model".
   */
  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.tokentherm.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  /**
   * A report is drawn from a results folder's written files alone (summary.json, manifest.json,
   * assumptions.json, latencies.hlog, report_series.csv, conversations.csv), so a report rebuilt
   * from a folder equals the one the run wrote: the report package reads the results model and the
   * files, never the simulation. Importing {@code dev.tokentherm.metrics.RunMetrics} into
   * {@code report.ReportCharts} fails this test.
   */
  @Test
  void reportsReadWrittenResultsOnly() {
    noClasses().that().resideInAPackage("dev.tokentherm.report..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.tokentherm.report..", "dev.tokentherm.results..",
            "java..", "com.fasterxml.jackson..", "org.HdrHistogram..")
        .check(MAIN);
  }

  @Test
  void theCoreNeverPrintsOrExits() {
    noClasses().that().resideOutsideOfPackage("dev.tokentherm.cli..")
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(System.class, "exit", int.class)
        .check(MAIN);
  }

  /**
   * The middle of the code stays in rooms of one job each (issue 10): no source file in serving,
   * sim or metrics (subpackages included) over 400 lines. A class that outgrows it is split by job,
   * not squeezed.
   */
  @Test
  void theMiddleHasNoClassOver400Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (String part : List.of("serving", "sim", "metrics")) {
      try (Stream<Path> files = Files.walk(Path.of("simulator/src/main/java/dev/tokentherm", part))) {
        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
          long lines = Files.readAllLines(file).size();
          if (lines > 400) {
            tooLong.add(file.getFileName() + " (" + lines + " lines)");
          }
        }
      }
    }
    assertThat(tooLong).as("classes over 400 lines in serving, sim or metrics").isEmpty();
  }
}
