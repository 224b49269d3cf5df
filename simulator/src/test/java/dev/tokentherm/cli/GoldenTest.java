package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards against unintended change (docs/DESIGN.md §5): the SHA-256 of a run's summary.json followed by its
 * conversations.csv (and requests.csv where the scenario writes it), for quickstart, podcast-1t, a
 * five-minute slice of fleet-chat-h100, a preemption run (quickstart on one replica of 1,000 KV
 * blocks, recompute) and a trace replay (the mixed prefix/KV scenario). Numbers are computed
 * in IEEE arithmetic (strict in Java 17), with StrictMath or Commons Math for transcendental
 * functions, and written by our own formatter, so the hashes are the same on every machine. When
 * a change is meant to move results, rerun the case ({@code ./tokentherm run SCENARIO --set ...
 * --out DIR}), check the new figures, and update its hash with {@code cat DIR/summary.json
 * DIR/conversations.csv [DIR/requests.csv] | sha256sum}; say in the commit which results moved and why.
 */
class GoldenTest {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "quickstart | scenarios/quickstart.yaml | | 2e1cfae9fe97a8d4780c80a41f7c5760f7f7509dc0b7a0d90e7a77f0d58ede75",
      "podcast-1t | scenarios/podcast-1t.yaml | | d5e1a24803104fcb098fc0df0abfbe3f2e8e2147b8a71d796914a95ca7ad878e",
      "fleet-5min | scenarios/fleet-chat-h100.yaml | horizon_s=300;max_drain_s=300;measure.warmup_s=60;measure.end_s=300 | a6f76909bb7f8a0976082f4c0469688a31b23e34180abcd3f145a134c25bdc35",
      "preemption | scenarios/quickstart.yaml | deployments[0].replicas=1;deployments[0].kv.preemption=recompute;deployments[0].kv.num_gpu_blocks=1000 | 4941e95f32c8385d3e7ed4e909062da2068351364e086485362cbf9278e930f2",
      "trace-replay | scenarios/mixed-prefix-kv.yaml | | 25fc1580c3ebebe4597163cbf781c182d618cd0846688491586a0699b4824a2a"})
  void resultsAreTheGoldenOnes(String name, String scenario, String sets, String sha256) throws Exception {
    Path out = tmp.resolve(name);
    List<Object> args = new ArrayList<>(List.of("run", Path.of(scenario), "--out", out));
    if (sets != null) {
      for (String s : sets.split(";")) {
        args.add("--set");
        args.add(s);
      }
    }
    Cli.Result run = Cli.run(args.toArray());
    assertThat(run.code()).as("%s", run).isZero();
    Hasher h = Hashing.sha256().newHasher();
    for (String file : new String[] {"summary.json", "conversations.csv", "requests.csv"}) {
      if (Files.exists(out.resolve(file))) {
        h.putBytes(Files.readAllBytes(out.resolve(file)));
      }
    }
    assertThat(h.hash().toString())
        .as("%s's results changed; if intended, update the hash (see the class comment)", name)
        .isEqualTo(sha256);
  }
}
