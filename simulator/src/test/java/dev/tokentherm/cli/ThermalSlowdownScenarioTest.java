package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/power-cap.yaml at a 60 °C inlet and twice the arrivals: busy H100s would head for up
 * to 60 + 700 W · 0.058 °C/W = 100.6 °C, above the 87 °C software slowdown; thermal slowdown holds
 * the die near 87 °C. Overshoot bound: a GPU below 87 °C at an iteration's start runs that
 * iteration unthrottled, heading for at most 100.6 °C with RC = 0.058 · 1,034 = 59.97 s, so it
 * rises at most 13.6 · (1 − e^(−Δt/RC)) °C; an iteration of at most 8,192 batched tokens of
 * Llama-3.1-8B at boost takes well under Δt = 1.1 s (about 0.45 s), which bounds it by 0.25 °C.
 * A throttled iteration heads for at most 87 °C (its demanded power, ≥ the clamped one drawn).
 */
class ThermalSlowdownScenarioTest {
  @TempDir
  Path tmp;

  @Test
  void aHotInletThrottlesAndHoldsTheDieAtTheSlowdown() throws Exception {
    Path out = tmp.resolve("hot");
    Cli.Result r = Cli.run("run", "scenarios/power-cap.yaml", "--out", out.toString(), "--set",
        "cluster.racks.inlet_c=60", "--set", "workload[0].conversations.arrival.rate_per_s=4", "--check");
    assertThat(r.code()).as("%s", r).isZero();
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    double peak = s.at("/thermal/gpu_peak_c").asDouble();
    double throttled = s.at("/thermal/throttled_s").asDouble();
    System.out.printf("inlet 60 °C: peak %.3f °C, throttled %.1f GPU-s%n", peak, throttled);
    assertThat(peak).isBetween(87.0, 87.25);
    assertThat(throttled).isPositive();
    assertThat(s.at("/thermal/throttled_by_reason_s/sw_thermal_slowdown").asDouble()).isEqualTo(throttled);
    assertThat(s.at("/thermal/throttled_by_reason_s/hw_slowdown").asDouble()).isZero();
    assertThat(s.at("/thermal/throttled_by_reason_s/sw_power_cap").asDouble()).isZero();
    assertThat(s.at("/run/status").asText()).isEqualTo("ok");
  }
}
