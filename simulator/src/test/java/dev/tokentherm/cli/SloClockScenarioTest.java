package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/power-cap.yaml at the boost clock and under the slo-tpot clock policy (target: slo.tpot_ms
 * 100 × 0.8): energy per output token not higher, TPOT p50 within the target, energy conserved
 * under --check. Direction only; the figures are printed (README: Clocks).
 */
class SloClockScenarioTest {
  @TempDir
  Path tmp;

  private JsonNode run(String name, String... extra) throws Exception {
    Path out = tmp.resolve(name);
    String[] args = new String[4 + extra.length];
    args[0] = "run";
    args[1] = "scenarios/power-cap.yaml";
    args[2] = "--out";
    args[3] = out.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    Cli.Result r = Cli.run((Object[]) args);
    assertThat(r.code()).as("%s", r).isZero();
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static String figures(String name, JsonNode s) {
    return String.format("%s: %.4f J/token, TPOT p50 %.2f ms p99 %.2f ms, SLO attainment %.4f, TTFT p50 %.1f ms, "
            + "GPU mean %.1f W", name, s.at("/energy/j_per_output_token").asDouble(),
        s.at("/latency/tpot_ms/p50").asDouble(), s.at("/latency/tpot_ms/p99").asDouble(),
        s.at("/slo/attainment").asDouble(), s.at("/latency/ttft_ms/p50").asDouble(),
        s.at("/power/gpu_mean_w").asDouble());
  }

  @Test
  void sloTpotSpendsNoMoreEnergyPerTokenAndKeepsTpotWithinItsTarget() throws Exception {
    JsonNode boost = run("boost");
    JsonNode slo = run("slo", "--set", "deployments[0].power.clock=slo-tpot", "--check");
    System.out.println(figures("boost", boost));
    System.out.println(figures("slo-tpot", slo));
    assertThat(slo.at("/energy/j_per_output_token").asDouble())
        .isLessThanOrEqualTo(boost.at("/energy/j_per_output_token").asDouble());
    assertThat(slo.at("/latency/tpot_ms/p50").asDouble()).isLessThanOrEqualTo(100 * 0.8);
  }
}
