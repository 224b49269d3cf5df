package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The command line as people type it (issue 9, item 5): typos get "did you mean", usage names
 * the tool once, profiles are found for scenarios kept elsewhere and a missing library names
 * --profiles, a rerun says it replaced its results, and the progress line tells the time left.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class CommandLineTest {
  @TempDir
  Path tmp;

  @Test
  void aMistypedCommandGetsOneLineWithTheClosestCommand() {
    Cli.Result r = Cli.run("runn", "scenarios/quickstart.yaml");
    assertThat(r.code()).as("%s", r).isEqualTo(Main.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly(
        "tokentherm: unknown command 'runn'; did you mean 'run'? (try: tokentherm --help)");

    Cli.Result nothingClose = Cli.run("frobnicate");
    assertThat(nothingClose.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(nothingClose.errLines()).containsExactly(
        "tokentherm: unknown command 'frobnicate' (try: tokentherm --help)");
  }

  @Test
  void aMistypedOptionGetsOneLineWithTheClosestOption() throws IOException {
    Path file = TinyScenario.write(tmp, "ok.yaml", TinyScenario.TEXT);
    Cli.Result r = Cli.run("run", file, "--seeds", "3");
    assertThat(r.code()).as("%s", r).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).containsExactly(
        "tokentherm: unknown option '--seeds'; did you mean '--seed'? (try: tokentherm run --help)");

    Cli.Result withValue = Cli.run("run", file, "--profile=hardware-profiles");
    assertThat(withValue.errLines()).containsExactly("tokentherm: unknown option '--profile'; "
        + "did you mean '--profiles'? (try: tokentherm run --help)");

    Cli.Result nested = Cli.run("profiles", "shw", "h100-sxm");
    assertThat(nested.errLines()).containsExactly(
        "tokentherm: unknown command 'shw'; did you mean 'show'? (try: tokentherm profiles --help)");
  }

  @Test
  void usageLinesNameTheToolOnce() {
    Cli.Result r = Cli.run("--bogus");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).doesNotContain("tokentherm tokentherm").contains("(try: tokentherm --help)");
    Cli.Result badValue = Cli.run("run", "x.yaml", "--seed", "abc");
    assertThat(badValue.err()).doesNotContain("tokentherm tokentherm");
    for (String[] help : new String[][] {{"--help"}, {"run", "--help"}, {"profiles", "show", "--help"}}) {
      Cli.Result h = Cli.run((Object[]) help);
      assertThat(h.out()).as(String.join(" ", help)).doesNotContain("tokentherm tokentherm");
    }
  }

  @Test
  void aScenarioOutsideTheRepositoryFindsTheProfilesAndAMissingLibraryNamesTheOption() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("my-scenarios"));
    Path file = TinyScenario.write(elsewhere, "mine.yaml", TinyScenario.TEXT);
    Cli.Result ok = Cli.run("validate", file);
    assertThat(ok.code()).as("%s", ok).isZero();

    Path empty = Files.createDirectories(tmp.resolve("empty-profiles"));
    Cli.Result r = Cli.run("validate", file, "--profiles", empty);
    assertThat(r.code()).as("%s", r).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).isNotEmpty().allSatisfy(line -> assertThat(line)
        .contains("no profiles in " + empty)
        .endsWith("allowed: --profiles DIR naming a hardware-profiles folder"));
    Cli.Result missing = Cli.run("validate", file, "--profiles", tmp.resolve("nowhere"));
    assertThat(missing.err()).contains("(" + tmp.resolve("nowhere") + " does not exist)")
        .contains("--profiles DIR");
  }

  @Test
  void aRerunSaysItReplacedThePreviousResults() throws IOException {
    Path file = TinyScenario.write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path out = tmp.resolve("results/tiny");
    Cli.Result first = Cli.run("run", file, "--out", out);
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(first.outLines()).last().isEqualTo("results: " + out);
    Cli.Result second = Cli.run("run", file, "--out", out);
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(second.outLines()).last().isEqualTo("results: " + out + " (replaced the previous run's results)");
    assertThat(second.err()).isEmpty();
  }

  @Test
  void theProgressLineShowsTheTimeLeft() {
    long s = TimeUnit.SECONDS.toNanos(1);
    // 100 of 400 simulated seconds in 10 wall seconds: 300 more at 10 per second
    assertThat(ProgressLine.line(100 * s, 400 * s, 5_000_000, 10 * s))
        .isEqualTo("simulated 100 s of at most 400 s (25%), 0.50 M events/s, about 30 s left");
    assertThat(ProgressLine.eta(10 * s, 1000 * s, 10)).isEqualTo("about 16 min 30 s left");
    assertThat(ProgressLine.eta(1 * s, 10_000 * s, 10)).isEqualTo("about 27 h 46 min left");
    assertThat(ProgressLine.eta(0, 1000 * s, 10)).isEqualTo("time left unknown");
    assertThat(ProgressLine.eta(1000 * s, 1000 * s, 10)).isEqualTo("about 0 s left");
  }
}
