package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.experiment.SmallScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep process killed (SIGKILL, as kill -9) once some of its runs are committed, then started
 * again with the same command, ends with tables equal byte for byte to an uninterrupted sweep's,
 * and runs again only what was not committed.
 */
class SweepKillTest {
  @TempDir
  Path dir;

  @Test
  void aKilledSweepResumesToTheSameTables() throws Exception {
    SmallScenario.write(dir);
    // 24 points × 1 replication, one at a time: long enough to be killed midway
    Path file = Files.writeString(dir.resolve("k.yaml"), """
        base: small.yaml
        axes:
          - path: workload[0].conversations.arrival.rate_per_s
            values: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
          - path: deployments[0].replicas
            values: [1, 2, 3]
        """);
    Path killed = dir.resolve("killed");
    Process p = new ProcessBuilder(javaCommand("sweep", file.toString(), "--out", killed.toString(), "--threads", "1"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (committed(killed) < 3 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor();
    int before = committed(killed);
    assertThat(before).as(Files.readString(dir.resolve("killed.log"))).isBetween(3, 23);
    assertThat(killed.resolve("sweep.csv")).as("killed before the end: no table yet").doesNotExist();

    Cli.Result resumed = Cli.run("sweep", file, "--out", killed);
    assertThat(resumed.code()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).contains(before + " already done", "0 failed");
    Path whole = dir.resolve("whole");
    assertThat(Cli.run("sweep", file, "--out", whole).code()).isZero();
    for (String name : SweepCommandTest.OUTPUTS) {
      assertThat(Files.readAllBytes(killed.resolve(name))).as(name).isEqualTo(Files.readAllBytes(whole.resolve(name)));
    }
    try (Stream<Path> left = Files.list(killed.resolve("points"))) {
      assertThat(left.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(".")).toList())
          .as("no staging folder or lock left behind").isEmpty();
    }
  }

  /** Committed runs: folders under points/ whose names are run hashes (staging folders are hidden). */
  private static int committed(Path out) throws IOException {
    Path points = out.resolve("points");
    if (!Files.isDirectory(points)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(points)) {
      return (int) s.filter(x -> !x.getFileName().toString().startsWith(".")).count();
    }
  }

  /** This JVM's java and class path running the command line, from the repository root. */
  private static List<String> javaCommand(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

}
