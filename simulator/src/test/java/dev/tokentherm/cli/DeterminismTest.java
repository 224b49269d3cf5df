package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Same scenario + same seed ⇒ byte-identical results; another seed ⇒ other results; shuffling the
 * order-free ties among simultaneous events changes nothing.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class DeterminismTest {
  private static final Path QUICKSTART = Path.of("scenarios/quickstart.yaml");
  private static final Path PODCAST = Path.of("scenarios/podcast-1t.yaml");

  @TempDir
  Path tmp;

  @Test
  void quickstartTwiceIsByteIdentical() throws IOException {
    assertRepeatable(QUICKSTART);
  }

  @Test
  void podcastTwiceIsByteIdentical() throws IOException {
    assertRepeatable(PODCAST);
  }

  @Test
  void anotherSeedGivesOtherResults() throws IOException {
    Path base = run("base", QUICKSTART);
    Path seven = run("seed7", QUICKSTART, "--seed", "7");
    assertThat(Files.readString(seven.resolve("summary.json")))
        .isNotEqualTo(Files.readString(base.resolve("summary.json")));
    JsonNode manifest = json(seven.resolve("manifest.json"));
    assertThat(manifest.path("seed").asLong()).isEqualTo(7);
    assertThat(json(seven.resolve("summary.json")).path("seed").asLong()).isEqualTo(7);
    // the seed is part of the resolved scenario, so its hash differs too
    assertThat(manifest.path("scenario_sha256").asText())
        .isNotEqualTo(json(base.resolve("manifest.json")).path("scenario_sha256").asText());
  }

  @Test
  void shuffledTiesLeaveEveryOutputUnchanged() throws IOException {
    String[] all = {"--set", "outputs.requests_csv=true", "--set", "outputs.timeseries_csv=true",
        "--set", "outputs.devices_csv=true"};
    String[][] cases = {
        {"quickstart", QUICKSTART.toString()},
        {"mixed", "scenarios/mixed-prefix-kv.yaml"},
        // closed-loop users all start at t = 0: their starts are ties that must keep user order
        {"closed-loop", QUICKSTART.toString(), "--set",
            "workload[0].conversations.arrival={process: closed-loop, users: 24, user_idle_s: {distribution: exponential, mean: 5}}"}};
    for (String[] c : cases) {
      String[] extra = java.util.Arrays.copyOfRange(c, 2, c.length);
      String[] base = concat(all, extra);
      Path normal = run("normal-" + c[0], Path.of(c[1]), base);
      for (String shuffleSeed : new String[] {"1", "987654321"}) {
        Path shuffled = run("shuffled-" + shuffleSeed + "-" + c[0], Path.of(c[1]),
            concat(base, new String[] {"--shuffle-ties", shuffleSeed}));
        for (String file : new String[] {"summary.json", "conversations.csv", "requests.csv", "timeseries.csv",
            "devices.csv"}) {
          assertThat(Files.readAllLines(shuffled.resolve(file)).size()).as("%s has rows", file).isGreaterThan(1);
          assertSameBytes(normal.resolve(file), shuffled.resolve(file));
        }
      }
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void assertRepeatable(Path scenario) throws IOException {
    Path a = run("a", scenario);
    Path b = run("b", scenario);
    assertSameBytes(a.resolve("summary.json"), b.resolve("summary.json"));
    assertSameBytes(a.resolve("conversations.csv"), b.resolve("conversations.csv"));
    assertThat(Files.size(a.resolve("conversations.csv"))).isPositive();
    for (Path folder : new Path[] {a, b}) {
      JsonNode manifest = json(folder.resolve("manifest.json"));
      assertThat(manifest.path("scenario_sha256").asText()).matches("[0-9a-f]{64}");
      assertThat(manifest.path("wall_s").isNumber()).as("wall_s is a number").isTrue();
      assertThat(manifest.path("wall_s").asDouble()).isPositive();
    }
    assertThat(json(a.resolve("manifest.json")).path("scenario_sha256"))
        .isEqualTo(json(b.resolve("manifest.json")).path("scenario_sha256"));
  }

  /** Runs a scenario into tmp/NAME and returns that folder. */
  private Path run(String name, Path scenario, String... extra) {
    Path out = tmp.resolve(name);
    Object[] args = new Object[4 + extra.length];
    args[0] = "run";
    args[1] = scenario;
    args[2] = "--out";
    args[3] = out;
    System.arraycopy(extra, 0, args, 4, extra.length);
    Cli.Result r = Cli.run(args);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(out.resolve("summary.json")).isRegularFile();
    return out;
  }

  static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** Byte equality, reporting the first differing line rather than two huge arrays. */
  static void assertSameBytes(Path expected, Path actual) throws IOException {
    long at = Files.mismatch(expected, actual);
    if (at != -1) {
      String a = Files.readString(expected);
      String b = Files.readString(actual);
      int line = (int) a.substring(0, (int) Math.min(at, a.length())).chars().filter(c -> c == '\n').count();
      String[] la = a.split("\n", -1);
      String[] lb = b.split("\n", -1);
      throw new AssertionError(actual.getFileName() + " differs from " + expected + " at byte " + at
          + ", line " + (line + 1) + ":\n  expected: " + (line < la.length ? la[line] : "<end>")
          + "\n  actual:   " + (line < lb.length ? lb[line] : "<end>"));
    }
  }
}
