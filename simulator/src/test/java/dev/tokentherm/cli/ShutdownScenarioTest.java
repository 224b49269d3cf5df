package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.sim.ReplicaShutdownTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * A replica shutdown as a run writes it ({@code --fault shutdown-replica@30.3}, replica 0 of two,
 * the scenario of sim.ReplicaShutdownTest: a single-turn conversation every 2 s, in turn on replica
 * 0 and 1; conversation 14 arrives on replica 0 at 30 s and is decoding at 30.3 s): every law of
 * {@code --check} holds, the summary's appended keys count one failed request and one GPU shut
 * down, requests.csv names the failure, devices.csv shows GPU 0 at 0 W with the reason
 * {@code shutdown} (and no clock) from then on, and two runs are byte-identical.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ShutdownScenarioTest {
  private static final String SCENARIO = ReplicaShutdownTest.ALTERNATING
      + "outputs: {requests_csv: true, devices_csv: true}\n";

  @TempDir
  Path tmp;

  private Path run(String name) throws Exception {
    Path file = TinyScenario.write(tmp, "shutdown.yaml", SCENARIO);
    Path out = tmp.resolve(name);
    Cli.Result r = Cli.run("run", file, "--out", out, "--check", "--fault", "shutdown-replica@30.3");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("check: energy, KV blocks, requests, tokens and prefill conserved");
    return out;
  }

  @Test
  void theShutdownIsWrittenAndTheRunIsTheSameTwice() throws Exception {
    Path a = run("a");
    JsonNode s = new ObjectMapper().readTree(a.resolve("summary.json").toFile());
    assertThat(s.at("/requests/arrived").asLong()).isEqualTo(30);
    assertThat(s.at("/requests/completed").asLong()).isEqualTo(29);
    assertThat(s.at("/requests/failed").asLong()).isEqualTo(1);
    assertThat(s.at("/by_deployment/chat/requests/failed").asLong()).isEqualTo(1);
    assertThat(s.at("/run/requests_failed").asLong()).isEqualTo(1);
    assertThat(s.at("/thermal/shutdowns").asLong()).isEqualTo(1);
    assertThat(s.at("/run/status").asText()).isEqualTo("ok");
    assertThat(s.at("/run/cut_at_drain_limit").asBoolean()).isFalse();

    List<String> requests = Files.readAllLines(a.resolve("requests.csv"));
    assertThat(requests).filteredOn(l -> l.contains(",failed,")).singleElement()
        .satisfies(l -> assertThat(l).startsWith("14,0,0,failed,30,"));

    List<String> devices = Files.readAllLines(a.resolve("devices.csv"));
    List<String> header = List.of(devices.get(0).split(",", -1));
    int time = header.indexOf("time_s");
    int gpu = header.indexOf("gpu");
    int power = header.indexOf("power_w");
    int clock = header.indexOf("clock_mhz");
    int reason = header.indexOf("throttle_reason");
    long offRows = 0;
    for (String line : devices.subList(1, devices.size())) {
      String[] row = line.split(",", -1);
      double t = Double.parseDouble(row[time]);
      if (row[gpu].equals("0") && t > 31) { // every sample interval wholly after 30.3 s
        assertThat(Double.parseDouble(row[power])).as(line).isZero();
        assertThat(row[clock]).as(line).isEmpty();
        assertThat(row[reason]).as(line).isEqualTo("shutdown");
        offRows++;
      } else if (!row[gpu].equals("0") || t <= 30) {
        assertThat(row[reason]).as(line).isNotEqualTo("shutdown");
      }
    }
    assertThat(offRows).isPositive();

    Path b = run("b");
    for (String f : new String[] {"summary.json", "requests.csv", "devices.csv", "conversations.csv"}) {
      assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
  }

  @Test
  void anIdleGpuAtItsShutdownTemperatureStopsItsReplicaAtTheCoolingStep() throws Exception {
    // the H100 profile with slowdown, hardware slowdown and shutdown all at 30 °C: an idle GPU sits above
    // 24 °C inlet + 120 W active idle · 0.058 °C/W (its resistance at full fan speed, the least) = 30.96 °C,
    // so the first cooling step, at 1 s, finds both replicas' GPUs past the shutdown and stops them while
    // idle, before the first request (2 s); all 30 conversations fail at arrival (no live replica)
    Path profiles = tmp.resolve("profiles");
    try (var files = Files.walk(Path.of("hardware-profiles"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = profiles.resolve(Path.of("hardware-profiles").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path h100 = profiles.resolve("gpus/h100-sxm.yaml");
    Files.writeString(h100, Files.readString(h100).replaceAll("(slowdown_c|hw_slowdown_c|shutdown_c): \\{value: \\d+",
        "$1: {value: 30"));
    Path file = TinyScenario.write(tmp, "shutdown.yaml", SCENARIO);
    Path out = tmp.resolve("hot");
    Cli.Result r = Cli.run("run", file, "--out", out, "--profiles", profiles, "--check");
    assertThat(r.code()).as("%s", r).isZero();
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.at("/requests/failed").asLong()).isEqualTo(30);
    assertThat(s.at("/requests/completed").asLong()).isZero();
    assertThat(s.at("/thermal/shutdowns").asLong()).isEqualTo(2);
    assertThat(s.at("/run/simulated_s").asDouble()).isEqualTo(60); // the last arrival fails at the horizon
    // GPUs 0 and 1 drew 120 W for 1 s, then 0 W; the other six, unused, 75 W idle for 60 s
    assertThat(s.at("/run/energy_gpu_j").asDouble()).isCloseTo(120 * 1 + 120 * 1 + 6 * 75 * 60,
        org.assertj.core.api.Assertions.within(1e-6));
  }
}
