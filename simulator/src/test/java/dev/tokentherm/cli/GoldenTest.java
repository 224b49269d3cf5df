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
 * Guards against unintended change (DESIGN.md): the SHA-256 of a run's summary.json followed by its
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
      "quickstart | scenarios/quickstart.yaml | | 3a736953d2608c0c9004522161f0e5d7cfd8debe95577143bc69944034e3a9b0",
      "podcast-1t | scenarios/podcast-1t.yaml | | 49975509c5b333e70e9973e408165fca48f15c4d80121d614fc568847ffc5a0e",
      "fleet-5min | scenarios/fleet-chat-h100.yaml | horizon_s=300;max_drain_s=300;measure.warmup_s=60;measure.end_s=300 | 58fe2ad8ecb4daf512f39e002ffa6026173a74ce47f647a72b4eaf883d51ce04",
      "preemption | scenarios/quickstart.yaml | deployments[0].replicas=1;deployments[0].kv.preemption=recompute;deployments[0].kv.num_gpu_blocks=1000 | 839b2ab5887ee25c071eda4ca801673d0a3915e5ec0cecb2abaf2c908f0670a9",
      "trace-replay | scenarios/mixed-prefix-kv.yaml | | a1163e577928711117ee82af19ad796b877a13989bad8e0fbb5944bd505e2e6a"})
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
