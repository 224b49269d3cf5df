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
      "quickstart | scenarios/quickstart.yaml | | f5768a9da0808d961e32c3a02a2cf7243a05c9cf62daca761875284327355292",
      "podcast-1t | scenarios/podcast-1t.yaml | | 9b5936c1c931697bfa67dd04316d61821253c0b7612997271d12b35b81544c23",
      "fleet-5min | scenarios/fleet-chat-h100.yaml | horizon_s=300;max_drain_s=300;measure.warmup_s=60;measure.end_s=300 | 7d8630d43f72a818a90d7849d13249da1436cedd6a551c7fa872675f12c23322",
      "preemption | scenarios/quickstart.yaml | deployments[0].replicas=1;deployments[0].kv.preemption=recompute;deployments[0].kv.num_gpu_blocks=1000 | 59911fa66c55b4f0dd955e3eaf8e60d4231b520443be14975693fedaafc21493",
      "trace-replay | scenarios/mixed-prefix-kv.yaml | | 2bcecd1bd7a7209e6c76d1195c280b1672575765e58969ae349b0d4fe0d6a46b"})
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
