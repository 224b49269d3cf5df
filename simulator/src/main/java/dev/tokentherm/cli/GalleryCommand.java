package dev.tokentherm.cli;

import dev.tokentherm.report.Comparison;
import dev.tokentherm.report.GalleryPage;
import dev.tokentherm.report.ReportException;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.report.Results;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm gallery [--out reports] [SCENARIO...]}: runs every shipped scenario in-process
 * (scenarios/*.yaml and one folder down, scenarios/sweeps/ left out) and writes its page
 * ({@link GalleryPage}) to {@code reports/<path under scenarios/ without .yaml>.md}; keeps the
 * report.html of {@link #HTML}; and writes the comparison of quickstart under two batch policies
 * over three seeds ({@link #COMPARE}). Named scenarios: only their pages.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
    description = "Regenerate reports/: run each shipped scenario (scenarios/*.yaml, scenarios/*/*.yaml but"
        + " sweeps/) and write reports/<scenario>.md, quickstart.html and the quickstart-policies comparison.")
final class GalleryCommand implements Callable<Integer> {
  static final Path SCENARIOS = Path.of("scenarios");
  /** Folders under scenarios/ that hold no stand-alone scenarios. */
  static final List<String> LEFT_OUT = List.of("sweeps");
  /** Scenarios whose report.html the gallery keeps (small ones: ECharts alone is ~1 MB). */
  static final List<String> HTML = List.of("quickstart.yaml");
  /** The comparison page: quickstart's batch policy, each over these seeds. */
  static final String COMPARE = "quickstart-policies";
  static final List<String> COMPARE_POLICIES = List.of("vllm-v1", "static");
  static final List<Long> COMPARE_SEEDS = List.of(1L, 2L, 3L);

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "the gallery folder (default: reports)")
  Path out = Path.of("reports");

  @Parameters(paramLabel = "SCENARIO", arity = "0..*",
      description = "only these shipped scenarios (e.g. scenarios/quickstart.yaml); default: all, and the comparison")
  List<Path> only = new ArrayList<>();

  /** The seam to the run pipeline. */
  ScenarioRunner runner = ScenarioRunner.viaRunCommand();

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> scenarios;
    try {
      scenarios = only.isEmpty() ? shipped() : only;
      for (Path s : scenarios) {
        if (!Files.isRegularFile(s) || !s.normalize().startsWith(SCENARIOS)) {
          err.println("tokentherm: gallery: " + s + ": not a shipped scenario; allowed: a .yaml file under "
              + SCENARIOS + "/ (run from the repository root)");
          return Main.BAD_INPUT;
        }
      }
      Files.createDirectories(out);
    } catch (IOException | UncheckedIOException e) {
      err.println("tokentherm: gallery: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Path work;
    try {
      work = Files.createTempDirectory("tokentherm-gallery");
    } catch (IOException e) {
      err.println("tokentherm: gallery: no temporary folder: " + ResultsFolder.describe(e));
      return 1;
    }
    try {
      for (Path s : scenarios) {
        long start = System.nanoTime();
        String page = page(s, work);
        if (page == null) {
          return Main.BAD_INPUT;
        }
        stdout.printf(Locale.ROOT, "%s (%.1f s)%n", page, (System.nanoTime() - start) * 1e-9);
        stdout.flush();
      }
      if (only.isEmpty()) {
        long start = System.nanoTime();
        Path page = comparison(work);
        if (page == null) {
          return Main.BAD_INPUT;
        }
        stdout.printf(Locale.ROOT, "%s (%.1f s)%n", page, (System.nanoTime() - start) * 1e-9);
      }
      stdout.flush();
      return 0;
    } catch (ReportException | IOException e) {
      err.println("tokentherm: gallery: " + e.getMessage());
      return 1;
    } finally {
      delete(work);
    }
  }

  /** The shipped scenarios: scenarios/*.yaml, then each folder's but {@link #LEFT_OUT}, sorted. */
  static List<Path> shipped() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> top = Files.list(SCENARIOS)) {
      for (Path p : top.sorted().toList()) {
        if (Files.isDirectory(p) && !LEFT_OUT.contains(p.getFileName().toString())) {
          try (Stream<Path> inner = Files.list(p)) {
            inner.filter(GalleryCommand::isYaml).sorted().forEach(files::add);
          }
        } else if (isYaml(p)) {
          files.add(p);
        }
      }
    }
    files.sort(Comparator.comparing(p -> SCENARIOS.relativize(p).toString().contains("/") ? 1 : 0));
    return files;
  }

  private static boolean isYaml(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".yaml");
  }

  /** scenarios/a/b.yaml's name in the gallery: a/b (forward slashes on every system). */
  static String name(Path scenario) {
    String rel = SCENARIOS.relativize(scenario.normalize()).toString().replace('\\', '/');
    return rel.substring(0, rel.length() - ".yaml".length());
  }

  /** Runs one scenario and writes its page; null (after one line on stderr) when the run failed. */
  private String page(Path scenario, Path work) throws ReportException, IOException {
    String name = name(scenario);
    String key = name + ".yaml";
    Path results = work.resolve(name.replace('/', '-'));
    String failed = runner.run(scenario, List.of(), results);
    if (failed != null) {
      spec.commandLine().getErr().println("tokentherm: gallery: " + scenario + ": " + failed);
      return null;
    }
    Results r = Results.read(results);
    Path md = out.resolve(name + ".md");
    Files.createDirectories(md.getParent());
    String html = null;
    if (HTML.contains(key)) {
      html = md.getFileName().toString().replace(".md", ".html");
      Files.copy(results.resolve(ReportWriter.HTML), md.resolveSibling(html), StandardCopyOption.REPLACE_EXISTING);
    }
    String scenarioFile = SCENARIOS.resolve(key).toString().replace('\\', '/');
    Files.writeString(md, GalleryPage.markdown(r, scenarioFile, html), StandardCharsets.UTF_8);
    return md.toString();
  }

  /** Quickstart under each of {@link #COMPARE_POLICIES} over {@link #COMPARE_SEEDS}, compared. */
  private Path comparison(Path work) throws ReportException, IOException {
    Path scenario = SCENARIOS.resolve("quickstart.yaml");
    List<Path> dirs = new ArrayList<>();
    for (String policy : COMPARE_POLICIES) {
      for (long seed : COMPARE_SEEDS) {
        Path dir = work.resolve(COMPARE + "-" + policy + "-" + seed);
        String failed = runner.run(scenario, compareSets(policy, seed), dir);
        if (failed != null) {
          spec.commandLine().getErr().println("tokentherm: gallery: " + scenario + ": " + failed);
          return null;
        }
        dirs.add(dir);
      }
    }
    Path html = out.resolve(COMPARE + ".html");
    Comparison.of(dirs).write(html);
    return Comparison.markdownFile(html);
  }

  /** The --set overrides of one run of the comparison (the README's loop runs the same). */
  static List<String> compareSets(String policy, long seed) {
    return List.of("deployments[0].scheduler.policy=" + policy, "seed=" + seed);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
