package dev.tokentherm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.experiment.Executor;
import dev.tokentherm.experiment.PointStore;
import dev.tokentherm.experiment.SmallScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRunnerTest {
  @TempDir
  Path dir;

  /** Runs tasks one after the other in the caller's thread, telling the listener after each. */
  private static final Executor IN_TURN = new Executor() {
    @Override
    public <T> void execute(List<? extends Callable<T>> tasks, Listener<? super T> listener) {
      for (int i = 0; i < tasks.size(); i++) {
        try {
          listener.done(i, tasks.get(i).call());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  };

  /**
   * One replica admitting 2 sequences against 5 conversations/s: the queue grows minute over minute
   * and the first replication ends unstable; the probe fails for both capacities and its other two
   * replications are never run (nothing of theirs in the store).
   */
  @Test
  void aProbeStopsAtItsFirstUnstableRun() throws Exception {
    SmallScenario.write(dir);
    Path plan = Files.writeString(dir.resolve("p.yaml"), """
        base: small.yaml
        sets: [horizon_s=600, "deployments[0].replicas=1", "deployments[0].scheduler.max_num_seqs=2"]
        candidates: [{name: one}]
        search: {path: "workload[0].conversations.arrival.rate_per_s", min: 1, max: 5, tolerance: 1}
        replications: 3
        slo: {attainment: true}
        objective: gpus
        """);
    PlanFile file = PlanFile.load(plan, null);
    PointStore store = PointStore.in(dir.resolve("out"));
    Probe p = new ProbeRunner(file, store, IN_TURN).run(0, 1, 5);
    assertThat(p.runs()).hasSize(3);
    assertThat(p.runs().get(0).status()).isEqualTo("unstable");
    assertThat(p.runs().get(1)).isNull();
    assertThat(p.runs().get(2)).isNull();
    assertThat(p.verdict().stable()).isFalse();
    assertThat(p.verdict().slo()).isFalse();
    assertThat(p.verdict().reason()).isEqualTo("a run ended unstable");
    try (Stream<Path> points = Files.list(store.root())) {
      assertThat(points.toList()).containsExactly(store.folder(p.runs().get(0).runHash()));
    }
    // and the CSV row leaves its statistics out (which runs were called off depends on timing in parallel)
    String row = PlanReport.csv(file.plan(), List.of(new PlanRunner.CandidateResult(0,
        new Bisection.Result(Bisection.Outcome.NONE, Double.NaN, 5, 1),
        new Bisection.Result(Bisection.Outcome.NONE, Double.NaN, 5, 1), List.of(p)))).lines().toList().get(1);
    assertThat(row).startsWith("one,1,5,3,,,,,").endsWith(",fail,fail,\"a run ended unstable\"");
  }
}
