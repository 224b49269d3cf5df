package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/power-cap.yaml at the boost clock, uncapped (run once, shared), against two ways of
 * spending less power: a cap at 490 W (70 % of the H100's 700 W) — no GPU's 1 s power over the cap
 * (none unmet), prefill (compute-bound) slows, decode (memory-bound) hardly — and the slo-tpot clock
 * policy (target slo.tpot_ms 100 × 0.8) — energy per output token not higher, TPOT p50 within the
 * target (direction only; the figures are printed, README: Clocks). Both conserve energy under
 * --check.
 */
class PowerCapScenarioTest {
  @TempDir
  static Path tmp;

  private static JsonNode boost;

  @BeforeAll
  static void runUncapped() throws Exception {
    boost = run("boost");
  }

  private static JsonNode run(String name, String... extra) throws Exception {
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

  @Test
  void aCapAt70PercentOfTdpSlowsPrefillNotDecode() throws Exception {
    JsonNode cap = run("cap", "--set", "deployments[0].power.cap_w=490", "--check");
    assertThat(cap.at("/power/cap_unmet_s").asDouble()).isZero();
    assertThat(cap.at("/by_deployment/chat/gpu_peak_w").asDouble()).isLessThanOrEqualTo(490);
    assertThat(boost.at("/by_deployment/chat/gpu_peak_w").asDouble()).isGreaterThan(490);
    double ttft = cap.at("/latency/ttft_ms/p50").asDouble() / boost.at("/latency/ttft_ms/p50").asDouble();
    double tbt = cap.at("/latency/tbt_ms/p50").asDouble() / boost.at("/latency/tbt_ms/p50").asDouble();
    System.out.printf("power-cap 490 W: TTFT p50 x%.3f, TBT p50 x%.3f%n", ttft, tbt);
    assertThat(ttft).isGreaterThanOrEqualTo(1.10);
    assertThat(tbt).isLessThanOrEqualTo(1.05);
  }

  @Test
  void sloTpotSpendsNoMoreEnergyPerTokenAndKeepsTpotWithinItsTarget() throws Exception {
    JsonNode slo = run("slo", "--set", "deployments[0].power.clock=slo-tpot", "--check");
    System.out.println(figures("boost", boost));
    System.out.println(figures("slo-tpot", slo));
    assertThat(slo.at("/energy/j_per_output_token").asDouble())
        .isLessThanOrEqualTo(boost.at("/energy/j_per_output_token").asDouble());
    assertThat(slo.at("/latency/tpot_ms/p50").asDouble()).isLessThanOrEqualTo(100 * 0.8);
  }

  private static String figures(String name, JsonNode s) {
    return String.format("%s: %.4f J/token, TPOT p50 %.2f ms p99 %.2f ms, SLO attainment %.4f, TTFT p50 %.1f ms, "
            + "GPU mean %.1f W", name, s.at("/energy/j_per_output_token").asDouble(),
        s.at("/latency/tpot_ms/p50").asDouble(), s.at("/latency/tpot_ms/p99").asDouble(),
        s.at("/slo/attainment").asDouble(), s.at("/latency/ttft_ms/p50").asDouble(),
        s.at("/power/gpu_mean_w").asDouble());
  }
}
