package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/power-cap.yaml uncapped and at 490 W (70 % of the H100's 700 W): no GPU's 1 s power
 * over the cap (none unmet), prefill (compute-bound) slows, decode (memory-bound) hardly; the cap
 * run conserves energy under --check.
 */
class PowerCapScenarioTest {
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

  @Test
  void aCapAt70PercentOfTdpSlowsPrefillNotDecode() throws Exception {
    JsonNode free = run("free");
    JsonNode cap = run("cap", "--set", "deployments[0].power.cap_w=490", "--check");
    assertThat(cap.at("/power/cap_unmet_s").asDouble()).isZero();
    assertThat(cap.at("/by_deployment/chat/gpu_peak_w").asDouble()).isLessThanOrEqualTo(490);
    assertThat(free.at("/by_deployment/chat/gpu_peak_w").asDouble()).isGreaterThan(490);
    double ttft = cap.at("/latency/ttft_ms/p50").asDouble() / free.at("/latency/ttft_ms/p50").asDouble();
    double tbt = cap.at("/latency/tbt_ms/p50").asDouble() / free.at("/latency/tbt_ms/p50").asDouble();
    System.out.printf("power-cap 490 W: TTFT p50 x%.3f, TBT p50 x%.3f%n", ttft, tbt);
    assertThat(ttft).isGreaterThanOrEqualTo(1.10);
    assertThat(tbt).isLessThanOrEqualTo(1.05);
  }
}
