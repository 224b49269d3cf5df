package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace whose sessions have a single turn each is valid input; it used to end in a
 * NullPointerException ("Cannot assign field idleAtNextArrivalJ because last is null") when the
 * end of the trace ended a session before its first prompt had arrived.
 */
class SingleTurnTraceTest {
  @TempDir
  Path tmp;

  @Test
  void aSessionWithOneTurnRuns() throws IOException {
    Files.writeString(tmp.resolve("single.csv"),
        "arrival_s,input_tokens,output_tokens,session_id\n0,200,40,a\n0.5,200,40,b\n");
    String text = TinyScenario.TEXT.substring(0, TinyScenario.TEXT.indexOf("    conversations:"))
        + "    trace: {format: csv, path: single.csv}\n";
    Path file = TinyScenario.write(tmp, "single.yaml", text);
    Cli.Result r = Cli.run("run", file, "--out", tmp.resolve("out"));
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).doesNotContain("internal error");
    assertThat(r.out()).contains("2 requests completed");
  }
}
