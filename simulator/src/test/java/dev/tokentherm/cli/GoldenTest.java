package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards against unintended change (DESIGN.md): the SHA-256 of quickstart's summary.json followed
 * by its conversations.csv. Numbers are computed in IEEE arithmetic (strict in Java 17), with
 * StrictMath or Commons Math for transcendental functions, and written by our own formatter, so
 * the hash is the same on every machine. When a change is meant to move results, rerun
 * {@code ./tokentherm run scenarios/quickstart.yaml --out DIR}, check the new figures, and update
 * the hash with {@code cat DIR/summary.json DIR/conversations.csv | sha256sum}.
 */
class GoldenTest {
  private static final String QUICKSTART_SHA256 = "5a8368e22ad2af7dc15e031f5827eb7d8b89b887d3b2af60cb65624324bf2a2b";

  @TempDir
  Path tmp;

  @Test
  void quickstartResultsAreTheGoldenOnes() throws Exception {
    Path out = tmp.resolve("quickstart");
    Cli.Result run = Cli.run("run", Path.of("scenarios/quickstart.yaml"), "--out", out);
    assertThat(run.code()).as("%s", run).isZero();
    byte[] summary = Files.readAllBytes(out.resolve("summary.json"));
    byte[] turns = Files.readAllBytes(out.resolve("conversations.csv"));
    byte[] both = new byte[summary.length + turns.length];
    System.arraycopy(summary, 0, both, 0, summary.length);
    System.arraycopy(turns, 0, both, summary.length, turns.length);
    assertThat(Hashing.sha256().hashBytes(both).toString())
        .as("quickstart's results changed; if intended, update the hash (see the class comment)")
        .isEqualTo(QUICKSTART_SHA256);
  }
}
