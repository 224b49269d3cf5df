package dev.tokentherm.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.results.ConfidenceInterval;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentTest {
  @TempDir
  Path dir;

  /** seed_r = (base + r · 0x9E3779B97F4A7C15) mod 2^63, worked with BigInteger; r = 0 is the base. */
  @Test
  void replicationSeedsFollowTheFormula() {
    BigInteger step = new BigInteger("9E3779B97F4A7C15", 16); // 11400714819323198485
    BigInteger mod = BigInteger.TWO.pow(63);
    assertThat(Replications.seed(42, 0)).isEqualTo(42);
    // 42 + 11400714819323198485 = 11400714819323198527; minus 2^63 (9223372036854775808) = 2177342782468422719
    assertThat(Replications.seed(42, 1)).isEqualTo(2177342782468422719L);
    for (int r = 1; r < 5; r++) {
      long expected = BigInteger.valueOf(42).add(step.multiply(BigInteger.valueOf(r))).mod(mod).longValueExact();
      assertThat(Replications.seed(42, r)).isEqualTo(expected);
    }
    assertThat(Replications.seed(-7, 0)).isEqualTo(-7);
    assertThat(Replications.seed(-7, 3)).isNotNegative();
  }

  @Test
  void treatmentsTimesReplicationsRunOnceAndAreReadBack() throws Exception {
    Path scenario = SmallScenario.write(dir);
    Experiment e = new Experiment(scenario, null, List.of(),
        List.of(new Treatment("0", List.of("deployments[0].replicas=1")),
            new Treatment("1", List.of("deployments[0].replicas=2"))), 3);
    PointStore store = PointStore.in(dir.resolve("out"));
    ExperimentResult first = new ExperimentRunner(e, store, new LocalExecutor(2)).runAll(ExperimentRunner.Listener.NONE);
    assertThat(first.records()).hasSize(6).allSatisfy(r -> {
      assertThat(r.ok()).as(r.error()).isTrue();
      assertThat(r.reused()).isFalse();
      assertThat(store.isCommitted(r.runHash())).isTrue();
      assertThat(Files.exists(store.folder(r.runHash()).resolve("conversations.csv"))).isFalse();
    });
    assertThat(first.records()).extracting(r -> r.run().seed()).containsExactly(42L,
        Replications.seed(42, 1), Replications.seed(42, 2), 42L, Replications.seed(42, 1), Replications.seed(42, 2));
    assertThat(first.records()).extracting(RunRecord::runHash).doesNotHaveDuplicates();

    ExperimentResult again = new ExperimentRunner(e, store, new LocalExecutor(1)).runAll(ExperimentRunner.Listener.NONE);
    assertThat(again.records()).allSatisfy(r -> assertThat(r.reused()).isTrue());
    for (int i = 0; i < 6; i++) {
      assertThat(again.records().get(i).cells()).isEqualTo(first.records().get(i).cells());
    }

    String metric = "throughput.output_tokens_per_s";
    double[] v = first.values(1, metric);
    assertThat(v).hasSize(3);
    ConfidenceInterval ci = first.interval(1, metric);
    assertThat(ci.mean()).isCloseTo((v[0] + v[1] + v[2]) / 3, within(1e-9));
    assertThat(ci).isEqualTo(ConfidenceInterval.of(v));
    ConfidenceInterval d = first.paired(0, 1, metric);
    double[] u = first.values(0, metric);
    assertThat(d).isEqualTo(ConfidenceInterval.of(new double[] {v[0] - u[0], v[1] - u[1], v[2] - u[2]}));
    assertThat(first.metrics()).contains(metric, "latency.ttft_ms.p99", "kv.deployments[0].budget_gb_per_gpu")
        .doesNotContain(SummaryCells.STATUS, "seed", "scenario");
  }

  @Test
  void summaryCellsFlattenKeysAndWriteNumbersPlain() throws Exception {
    Map<String, String> cells = SummaryCells.parse("""
        {"scenario": "x", "seed": 3, "window": {"start_s": 1.50, "steady_state": true},
         "run": {"status": "ok", "rejection_samples": ["a"]}, "slo": {"attainment": null},
         "kv": {"deployments": [{"blocks": 7}]}, "by_deployment": {"chat": {"gpu_j": 1.0E-7}}}
        """);
    assertThat(cells).containsExactly(Map.entry("window.start_s", "1.5"), Map.entry("window.steady_state", "1"),
        Map.entry("run.status", "ok"), Map.entry("slo.attainment", ""), Map.entry("kv.deployments[0].blocks", "7"),
        Map.entry("by_deployment.chat.gpu_j", "0.0000001"));
    assertThat(SummaryCells.value("")).isNaN();
    assertThat(SummaryCells.value("1.50")).isEqualTo(1.5);
  }

  @Test
  void aTreatmentThatCannotLoadIsAnErrorRecordNotAnException() throws Exception {
    Path scenario = SmallScenario.write(dir);
    Experiment e = new Experiment(scenario, null, List.of(),
        List.of(new Treatment("0", List.of("deployments[0].replicas=zero"))), 1);
    ExperimentResult r = new ExperimentRunner(e, PointStore.in(dir.resolve("out")), new LocalExecutor(1))
        .runAll(ExperimentRunner.Listener.NONE);
    assertThat(r.records().get(0).ok()).isFalse();
    assertThat(r.records().get(0).error()).contains("--set deployments[0].replicas=zero", "deployments[0].replicas");
  }
}
