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
      "quickstart | scenarios/quickstart.yaml | | 46915842105d02b370e9d531d02cf1d5a7ebf6d9cfe635dd79ba47e254b07e35",
      "podcast-1t | scenarios/podcast-1t.yaml | | f9dbe931bdea03a53e1eedffd3e2c29f031cc0804b666dc95084a2c8203f5a01",
      "fleet-5min | scenarios/fleet-chat-h100.yaml | horizon_s=300;max_drain_s=300;measure.warmup_s=60;measure.end_s=300 | e8b5fdfcd0a802a56a0d63dd1840890294f5dae5dd5a8607e99deaeec48be4fd",
      "preemption | scenarios/quickstart.yaml | deployments[0].replicas=1;deployments[0].kv.preemption=recompute;deployments[0].kv.num_gpu_blocks=1000 | 0182cf191dd1b8ce6b686aeefbf515c57b7bd2d62b8e01144e12bca1fe7f5c9d",
      "trace-replay | scenarios/mixed-prefix-kv.yaml | | 31947af109ca0bcc99ca24bb63abae5b1ee13a745e4018ac743278332ad1a71f"})
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
