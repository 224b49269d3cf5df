package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped scenario (each file in scenarios/, found, not listed, so a new one is checked too)
 * runs under {@code run --check}: energy per deployment and per GPU (ledgers against the power change
 * log, meters against the log), KV blocks, requests, tokens and prefill conserved. Long ones are
 * shortened with {@code --set} to keep the test fast; cutting them short is itself a case the books
 * must survive (work in flight at the drain limit).
 */
class ShippedScenariosConserveTest {
  private static final Map<String, List<String>> SHORTER = Map.of(
      "attention-variants.yaml", List.of("horizon_s=300", "max_drain_s=60"),
      "fleet-chat-h100.yaml", List.of("horizon_s=120", "max_drain_s=60", "measure.warmup_s=30", "measure.end_s=120"));

  @TempDir
  Path tmp;

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void conservesUnderTheCheck(String file) throws Exception {
    List<Object> args = new ArrayList<>(List.of("run", Path.of("scenarios", file), "--check", "--out", tmp.resolve("out")));
    for (String s : SHORTER.getOrDefault(file, List.of())) {
      args.add("--set");
      args.add(s);
    }
    Cli.Result r = Cli.run(args.toArray());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("check: energy, KV blocks, requests, tokens and prefill conserved");
  }
}
