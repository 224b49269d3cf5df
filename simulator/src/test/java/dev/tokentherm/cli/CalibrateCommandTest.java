package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tokentherm calibrate}: the Splitwise comparison prints rows and summaries; bad input is one line and exit 2. */
class CalibrateCommandTest {
  @Test
  void splitwisePrintsTheWorstRowsAndTheSummaryOfEveryGroup() {
    Cli.Result r = Cli.run("calibrate", "splitwise", "--worst", "3");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("measured ms", "predicted ms", "(worst 3 of 830)", "left out: 850 measurements");
    assertThat(r.outLines()).anyMatch(l -> l.startsWith("fitted: Llama2-70B TP2 + TP8, H100 + A100 (splitwise-2023): 830 rows, MAPE"))
        .anyMatch(l -> l.startsWith("held out: Llama2-70B TP4, H100 + A100 (splitwise-2023): 420 rows, MAPE"))
        .anyMatch(l -> l.startsWith("held out: BLOOM-176B TP8, H100 (splitwise-2023): 210 rows, MAPE"))
        .anyMatch(l -> l.startsWith("held out: BLOOM-176B TP8, A100 (splitwise-2023): 210 rows, MAPE"));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void splitwisePrintsEveryRowByDefault() {
    Cli.Result r = Cli.run("calibrate", "splitwise");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.outLines()).filteredOn(l -> l.contains(" prefill (row ") || l.contains(" decode (row ")).hasSize(1670);
  }

  @Test
  void vidurNetworkPrintsTheBinsOfANode() {
    Cli.Result r = Cli.run("calibrate", "vidur-network", "--node", "dgx-h100", "--worst", "2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("dgx-h100 all-reduce 8 GPUs: 15 rows, MAPE", "dgx-h100 send/recv 2 GPUs: 15 rows");
  }

  @Test
  void powerPrintsEveryTargetRowTheExcludedOnesAndEndsWithTheHeldOutLine() {
    Cli.Result r = Cli.run("calibrate", "power");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.outLines()).filteredOn(l -> l.startsWith("gpqa#") && l.contains(" H100 ") && l.contains("|")).hasSize(13);
    assertThat(r.out()).contains("B200: a 30-48 ms ITL floor", "MXFP4", "Mamba-Transformer hybrid", "sourcegraph-fim:",
        "Splitwise A100: ", "context x 0.75", "context x 1.25");
    List<String> lines = r.outLines();
    assertThat(lines.get(lines.size() - 1)).matches(
        "held-out: W median \\d+\\.\\d % \\(baseline \\d+\\.\\d %\\), ITL median \\d+\\.\\d %");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void badFileOrProfileIsOneLineAndExit2() {
    Cli.Result missing = Cli.run("calibrate", "splitwise", "--csv", "no/such.csv");
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.errLines()).hasSize(1).first().asString().startsWith("tokentherm calibrate splitwise: cannot read no/such.csv");
    Cli.Result stack = Cli.run("calibrate", "splitwise", "--stack", "vllm-v2");
    assertThat(stack.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(stack.errLines()).hasSize(1).first().asString().contains("unknown stack profile 'vllm-v2'");
    Cli.Result both = Cli.run("calibrate", "splitwise", "--worst", "3", "--all");
    assertThat(both.code()).isEqualTo(Main.BAD_INPUT);
  }
}
