package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokentherm gallery}: reports/ holds one page per shipped scenario (and per sweep and plan
 * of the gallery's, the other shipped ones left out by name) and none other, every
 * page free of what differs between machines, and quickstart's page regenerated now is the
 * committed one, character for character (its numbers are the committed numbers).
 */
class GalleryCommandTest {
  static final Path REPORTS = Path.of("reports");

  @TempDir
  Path dir;

  @Test
  void quickstartRegeneratedEqualsTheCommittedPage() throws IOException {
    Cli.Result r = Cli.run("gallery", "--out", dir, "scenarios/quickstart.yaml");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.outLines()).singleElement().asString().startsWith(dir.resolve("quickstart.md").toString());
    assertThat(Files.readString(dir.resolve("quickstart.md"), StandardCharsets.UTF_8))
        .as("reports/quickstart.md is out of date: regenerate with ./tokentherm gallery")
        .isEqualTo(Files.readString(REPORTS.resolve("quickstart.md"), StandardCharsets.UTF_8));
    assertThat(dir.resolve("quickstart.html")).exists();
    assertThat(REPORTS.resolve("quickstart.html")).exists();
  }

  @Test
  void onePagePerShippedScenarioAndNoOther() throws IOException {
    List<String> expected = new ArrayList<>();
    for (Path s : GalleryCommand.shipped()) {
      expected.add(GalleryCommand.name(s) + ".md");
    }
    assertThat(expected).contains("quickstart.md", "tiering-compare/dram.md", "fleet-chat-h100.md")
        .noneMatch(n -> n.startsWith("sweeps/"));
    expected.add(GalleryCommand.COMPARE + ".md");
    expected.add("README.md");
    // the sweeps and plans: each shipped one has its page, or is left out by name (with the reason there)
    List<String> sweeps = new ArrayList<>();
    try (Stream<Path> files = Files.list(GalleryCommand.SCENARIOS.resolve("sweeps"))) {
      files.filter(p -> p.toString().endsWith(".yaml")).forEach(p -> sweeps.add(GalleryCommand.name(p) + ".yaml"));
    }
    List<String> covered = new ArrayList<>(GalleryCommand.SWEEPS);
    covered.addAll(GalleryCommand.PLANS);
    covered.addAll(GalleryCommand.SWEEPS_LEFT_OUT);
    assertThat(covered).containsExactlyInAnyOrderElementsOf(sweeps);
    assertThat(GalleryCommand.SWEEPS).isNotEmpty();
    assertThat(GalleryCommand.PLANS).isNotEmpty();
    for (String f : GalleryCommand.SWEEPS) {
      String page = f.replace(".yaml", "");
      expected.add(page + ".md");
      assertThat(REPORTS.resolve(page + ".html")).exists();
    }
    for (String f : GalleryCommand.PLANS) {
      expected.add(f.replace(".yaml", ".md"));
    }
    assertThat(pages()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void pagesHoldNoMachinePathsWallTimesOrHashes() throws IOException {
    for (String page : pages()) {
      if (page.equals("README.md")) {
        continue; // written by hand, and says what the pages leave out
      }
      String text = Files.readString(REPORTS.resolve(page), StandardCharsets.UTF_8);
      assertThat(text).as(page).doesNotContain("/tmp/", "/work/", "/home/", "wall_s", "wall-clock", "run hash",
          "started_at", "events_per_s");
    }
  }

  @Test
  void aScenarioOutsideScenariosIsAOneLineError() {
    Cli.Result r = Cli.run("gallery", "--out", dir, "README.md");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("README.md").contains("not a shipped scenario");
  }

  @Test
  void aRunThatFailsThroughTheSeamIsOneLine() {
    GalleryCommand gallery = new GalleryCommand();
    List<List<String>> asked = new ArrayList<>();
    gallery.runner = (scenario, sets, out) -> {
      asked.add(List.of(scenario.toString(), String.join(" ", sets)));
      return "exit 2: no room";
    };
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(gallery);
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("--out", dir.toString(), "scenarios/fleet-chat-h100.yaml");
    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(asked).containsExactly(List.of("scenarios/fleet-chat-h100.yaml", ""));
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .isEqualTo("tokentherm: gallery: scenarios/fleet-chat-h100.yaml: exit 2: no room");
  }

  /** The Markdown files under reports/, by their path there ("/" separated). */
  private static List<String> pages() throws IOException {
    try (Stream<Path> all = Files.walk(REPORTS)) {
      return all.filter(p -> p.toString().endsWith(".md"))
          .map(p -> REPORTS.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }
}
