package dev.tokentherm.cli;

import static dev.tokentherm.cli.DeterminismTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The commands end to end: help, validate, profiles, schema, run and its results folder. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class CliTest {
  private static final Path QUICKSTART = Path.of("scenarios/quickstart.yaml");
  private static final Path PODCAST = Path.of("scenarios/podcast-1t.yaml");
  private static final Path PROFILES = Path.of("hardware-profiles");

  @TempDir
  Path tmp;

  // ---- help ----------------------------------------------------------------------------------

  @Test
  void topLevelHelpListsTheSubcommands() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Usage: tokentherm").contains("Commands:");
    String commands = r.out().substring(r.out().indexOf("Commands:"));
    for (String command : List.of("run", "validate", "profiles", "schema", "help")) {
      assertThat(commands).as("command %s", command).containsPattern("(?m)^  " + command + " ");
    }
    Cli.Result version = Cli.run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("tokentherm ");
  }

  @Test
  void runHelpListsItsOptionsButNotTheHiddenOne() {
    Cli.Result r = Cli.run("run", "--help");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Usage: tokentherm run")
        .contains("SCENARIO", "--seed=N", "--out=DIR", "--set=PATH=VALUE", "--profiles=DIR", "--help")
        .doesNotContain("shuffle");
  }

  // ---- validate ------------------------------------------------------------------------------

  @Test
  void validateTheShippedScenarios() {
    Cli.Result r = Cli.run("validate", QUICKSTART, PODCAST);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines()).containsExactly("ok: " + QUICKSTART, "ok: " + PODCAST);
  }

  @Test
  void validateEveryProfileFile() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> kinds = Files.list(PROFILES)) {
      for (Path kind : kinds.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> inKind = Files.list(kind)) {
          inKind.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
      }
    }
    assertThat(files).as("profile files").hasSizeGreaterThanOrEqualTo(20);
    Cli.Result r = Cli.run(Stream.concat(Stream.of("validate"), files.stream()).toArray());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines()).containsExactlyElementsOf(files.stream().map(f -> "ok: " + f).toList());
  }

  // ---- profiles ------------------------------------------------------------------------------

  @Test
  void profilesListShowsEveryKind() {
    Cli.Result r = Cli.run("profiles", "list");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    Map<String, List<String>> idsByKind = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : r.outLines()) {
      if (!line.startsWith(" ")) {
        assertThat(line).endsWith(":");
        current = new ArrayList<>();
        idsByKind.put(line.substring(0, line.length() - 1), current);
      } else {
        assertThat(current).as("an id before any kind heading").isNotNull();
        current.add(line.trim().split("\\s+", 2)[0]);
      }
    }
    assertThat(idsByKind).containsOnlyKeys("gpus", "nodes", "models", "stacks", "connectors");
    assertThat(idsByKind.get("gpus")).contains("h100-sxm", "h200-sxm", "a100-80gb");
    assertThat(idsByKind.get("nodes")).contains("dgx-h200", "dgx-h100", "dgx-a100");
    assertThat(idsByKind.get("models")).contains("dense-1t", "llama-3.1-8b", "llama-3.1-70b");
    assertThat(idsByKind.get("stacks")).contains("vllm-v1");
    assertThat(idsByKind.get("connectors")).contains("vllm-offloading", "lmcache-default");
    assertThat(r.out()).containsPattern("(?m)^  h100-sxm +NVIDIA H100");
  }

  @Test
  void profilesShowPrintsTheFileWithItsSources() throws IOException {
    Cli.Result r = Cli.run("profiles", "show", "h200-sxm");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("hbm_mib", "source", "id: h200-sxm")
        .isEqualTo(Files.readString(PROFILES.resolve("gpus/h200-sxm.yaml")));
  }

  @Test
  void profilesShowOfAnUnknownIdSuggestsOne() {
    Cli.Result r = Cli.run("profiles", "show", "h200");
    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .matches("tokentherm: unknown profile 'h200'; did you mean '[a-z0-9.-]+'\\?");
  }

  /**
   * "h200" begins "h200-sxm" (DidYouMean counts a typed prefix as close), so that is what the user
   * meant, not the one-edit-away "b200", a different GPU.
   */
  @Test
  void profilesShowOfAPrefixSuggestsTheProfileItBegins() {
    Cli.Result r = Cli.run("profiles", "show", "h200");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("tokentherm: unknown profile 'h200'; did you mean 'h200-sxm'?");
  }

  // ---- schema --------------------------------------------------------------------------------

  @Test
  void schemaPrintsTheCommittedSchema() throws IOException {
    Cli.Result r = Cli.run("schema");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(Files.readString(Path.of("schemas/scenario.schema.json")));
    JsonNode schema = new ObjectMapper().readTree(r.out());
    assertThat(schema.path("properties").has("deployments")).isTrue();
  }

  // ---- run -----------------------------------------------------------------------------------

  @Test
  void runQuickstartPrintsASummaryAndWritesResults() throws IOException {
    Path out = tmp.resolve("quickstart");
    Cli.Result r = Cli.run("run", QUICKSTART, "--out", out);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("quickstart: ").contains("KV budget");
    assertThat(r.outLines()).last().isEqualTo("results: " + out);
    assertThat(out.resolve("manifest.json")).isRegularFile();
    assertThat(out.resolve("conversations.csv")).isRegularFile();

    JsonNode summary = json(out.resolve("summary.json"));
    List<String> keys = new ArrayList<>();
    summary.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).contains("requests", "latency", "throughput", "slo", "goodput", "energy",
        "power", "run");
    assertThat(summary.path("run").path("status").asText()).isEqualTo("ok");
    assertThat(summary.path("requests").path("arrived").asLong()).isGreaterThan(100);
    assertThat(summary.path("latency").path("ttft_ms").path("p50").asDouble()).isPositive();
    assertThat(summary.path("latency").path("tpot_ms").path("p50").asDouble()).isPositive();
    assertThat(summary.path("throughput").path("output_tokens_per_s").asDouble()).isPositive();
    assertThat(summary.path("energy").path("gpu_j").asDouble()).isPositive();
  }

  @Test
  void runPodcastReportsThePhrasesAndTheKvBudget() throws IOException {
    Path out = tmp.resolve("podcast");
    Cli.Result r = Cli.run("run", PODCAST, "--out", out);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode summary = json(out.resolve("summary.json"));
    assertThat(summary.path("run").path("status").asText()).isEqualTo("ok");

    JsonNode phrases = summary.path("podcast").path("phrases");
    assertThat(phrases.isArray()).as("podcast.phrases is a list").isTrue();
    List<Integer> minutes = new ArrayList<>();
    List<Long> contexts = new ArrayList<>();
    for (JsonNode phrase : phrases) {
      minutes.add(phrase.path("minute").asInt());
      contexts.add(phrase.path("context_tokens").asLong());
    }
    assertThat(minutes).containsExactly(5, 55, 205, 305, 505);
    assertThat(contexts).allMatch(c -> c > 0).isSorted().doesNotHaveDuplicates();

    double budget = summary.path("kv").path("deployments").path(0).path("budget_gb_per_gpu").asDouble();
    assertThat(budget).isBetween(6.0, 10.0);
  }

  // ---- an existing --out folder is replaced only by a successful run -------------------------

  @Test
  void existingResultsAreReplacedOnlyOnSuccess() throws IOException {
    Path out = tmp.resolve("results");
    Files.createDirectories(out);
    // an earlier run's results folder: a tokentherm manifest and files runs write
    Files.writeString(out.resolve("manifest.json"), "{\"tool\": \"tokentherm\"}");
    Path marker = Files.writeString(out.resolve("requests.csv"), "old results");

    // fails while loading (before any folder is touched)
    Path badField = TinyScenario.write(tmp, "bad-field.yaml",
        TinyScenario.changed("replicas: 2", "replicas: two"));
    Cli.Result bad = Cli.run("run", badField, "--out", out);
    assertThat(bad.code()).as("%s", bad).isEqualTo(2);
    assertThat(marker).hasContent("old results");
    assertNoStagingFolders();

    // fails at setup (the model does not fit), after the staging folder was made
    Path tooBig = TinyScenario.write(tmp, "too-big.yaml",
        TinyScenario.changed("model: llama-3.1-8b", "model: llama-3.1-70b"));
    Cli.Result setup = Cli.run("run", tooBig, "--out", out);
    assertThat(setup.code()).as("%s", setup).isEqualTo(2);
    assertThat(marker).hasContent("old results");
    assertThat(out.resolve("summary.json")).doesNotExist();
    assertNoStagingFolders();

    Path good = TinyScenario.write(tmp, "good.yaml", TinyScenario.TEXT);
    Cli.Result ok = Cli.run("run", good, "--out", out);
    assertThat(ok.code()).as("%s", ok).isZero();
    assertThat(marker).doesNotExist();
    assertThat(out.resolve("summary.json")).isRegularFile();
    assertThat(out.resolve("manifest.json")).isRegularFile();
    assertThat(out.resolve("conversations.csv")).isRegularFile();
    assertThat(json(out.resolve("summary.json")).path("run").path("status").asText()).isEqualTo("ok");
    assertNoStagingFolders();
  }

  @Test
  void outNeverReplacesAFileOrAFolderThatHoldsNoResults() throws IOException {
    Path good = TinyScenario.write(tmp, "good.yaml", TinyScenario.TEXT);
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    Cli.Result onFile = Cli.run("run", good, "--out", file);
    assertThat(onFile.code()).isEqualTo(2);
    assertThat(onFile.errLines()).containsExactly("tokentherm: --out " + file
        + ": is a file; allowed: a new folder or an earlier run's results folder");
    assertThat(file).hasContent("mine");

    Path folder = Files.createDirectories(tmp.resolve("scenarios"));
    Path kept = Files.writeString(folder.resolve("keep.yaml"), "name: keep");
    Cli.Result onFolder = Cli.run("run", good, "--out", folder);
    assertThat(onFolder.code()).isEqualTo(2);
    assertThat(onFolder.errLines()).hasSize(1);
    assertThat(onFolder.errLines().get(0)).contains("holds no earlier results (no manifest.json)");
    assertThat(kept).hasContent("name: keep");
    assertNoStagingFolders();
  }

  private void assertNoStagingFolders() throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.contains(".partial-") || name.contains(".old-"));
    }
  }
}
