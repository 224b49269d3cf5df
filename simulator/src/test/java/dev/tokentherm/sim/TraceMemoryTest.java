package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's memory is bounded by its live sessions, not by the sessions it has seen: 2 million
 * single-request sessions (each with its own session id) replay in a JVM of their own under
 * -Xmx512m. No timing assertion; the probe prints the peak heap and the wall time.
 */
class TraceMemoryTest {
  private static final int SESSIONS = 2_000_000;

  @TempDir
  Path tmp;

  @Test
  void twoMillionSingleRequestSessionsReplayIn512MiB() throws Exception {
    Path trace = tmp.resolve("sessions.csv");
    try (BufferedWriter out = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
      out.write("arrival_s,input_tokens,output_tokens,session_id\n");
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < SESSIONS; i++) { // one request every 0.5 ms, exact decimal seconds
        line.setLength(0);
        int frac = (i % 2000) * 5;
        line.append(i / 2000).append('.').append((char) ('0' + frac / 1000)).append((char) ('0' + frac / 100 % 10))
            .append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10))
            .append(",16,1,session-").append(i).append('\n');
        out.append(line);
      }
    }
    Path scenario = tmp.resolve("sessions.yaml");
    Files.writeString(scenario, """
        name: two-million-sessions
        horizon_s: 1100
        max_drain_s: 600
        cluster: {nodes: [{profile: dgx-h100, count: 1}]}
        deployments:
          - {name: chat, model: llama-3.1-8b, replicas: 8}
        workload:
          - target: chat
            trace: {format: csv, path: sessions.csv}
        outputs: {conversations_csv: false}
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), TraceMemoryProbe.class.getName(), scenario.toString()))
        .redirectErrorStream(true).start();
    String output;
    try (var in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    System.out.print("2M single-request sessions under -Xmx512m: " + output);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("completed " + SESSIONS + " conversations " + SESSIONS + " ");
  }
}
