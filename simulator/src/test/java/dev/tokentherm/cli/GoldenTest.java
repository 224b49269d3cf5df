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
      "quickstart | scenarios/quickstart.yaml | | a6e08a9237f79b472c9458a8ed6b74b17a4b496c9c1bf908c5cc63436b55467e",
      "podcast-1t | scenarios/podcast-1t.yaml | | 2ae2b337ad6249abc2640ec5f886c46786442e48b16d6591131ca1c5b11130a9",
      "fleet-5min | scenarios/fleet-chat-h100.yaml | horizon_s=300;max_drain_s=300;measure.warmup_s=60;measure.end_s=300 | 7669e9b26800c9f71da3f6858cd6677d5089425e98f2f16b4e0cc2d770bbf025",
      "preemption | scenarios/quickstart.yaml | deployments[0].replicas=1;deployments[0].kv.preemption=recompute;deployments[0].kv.num_gpu_blocks=1000 | 2c38128753c185c44d3e552cda5749870a77063cf9d0daf1923f0304e67cde5d",
      "trace-replay | scenarios/mixed-prefix-kv.yaml | | 1de3771f8c38a2e429aae99d05a005e7266a8e4cf79257728d53212adefc2e55"})
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
