package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console and summary.json say whether the SLO was met and whether the window was steady. */
class SloVerdictTest {
  @TempDir
  Path tmp;

  @Test
  void aRunSaysWhetherItMetItsSlo() throws Exception {
    Path scenario = TinyScenario.write(tmp, "tiny.yaml", TinyScenario.TEXT);
    Cli.Result met = Cli.run("run", scenario, "--out", tmp.resolve("met"));
    assertThat(met.code()).as("%s", met).isZero();
    assertThat(met.out()).containsPattern("SLO met: [0-9.]+ % of \\d+ windowed requests within TTFT ≤ 2000 ms and"
        + " TPOT ≤ 100 ms \\(target 90.0 %\\)");
    assertThat(DeterminismTest.json(tmp.resolve("met/summary.json")).path("slo").path("met").asBoolean()).isTrue();
    // no first token comes within 1 ms of its prompt's arrival (a prefill alone takes longer)
    Cli.Result missed = Cli.run("run", scenario, "--out", tmp.resolve("missed"), "--set", "slo.ttft_ms=1");
    assertThat(missed.out()).contains("SLO missed: 0.0 % of ");
    var summary = DeterminismTest.json(tmp.resolve("missed/summary.json"));
    assertThat(summary.path("slo").path("met").asBoolean()).isFalse();
    assertThat(summary.path("window").path("steady_state").isBoolean()).isTrue();
    assertThat(missed.out()).containsPattern("(?m)^window: (steady state|not in steady state: .+)$");
  }
}
