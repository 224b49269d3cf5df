package dev.tokentherm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.experiment.ExperimentRun;
import dev.tokentherm.experiment.RunRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The searches and verdicts on synthetic probes (no simulation): hand-derived values. */
class PlanLogicTest {
  private static final Plan.Slo ATTAINMENT = new Plan.Slo(true, List.of(), true);

  private static RunRecord run(String status, double attainment, boolean steady, double ttftP90) {
    return new RunRecord(new ExperimentRun(0, 0, 1), "h", status, false, 0, Map.of("run.status", status,
        "slo.attainment", String.valueOf(attainment), "slo.target", "0.9", "window.steady_state", steady ? "1" : "0",
        "latency.ttft_ms.p90", String.valueOf(ttftP90)), null);
  }

  private static Plan plan(double min, double max, double tolerance) {
    return new Plan("q.yaml", List.of(), List.of(new Plan.Candidate("a", List.of(), null)),
        new Plan.Search("x", "load", min, max, tolerance, false, "conversations/s"), 3, ATTAINMENT, "cost", Map.of());
  }

  @Test
  void theMeanAttainmentOverReplicationsAndEveryWindowDecide() {
    // mean (0.95 + 0.85 + 0.92) / 3 = 0.9066… ≥ 0.9 passes though one run misses
    Verdict pass = Verdict.of(List.of(run("ok", 0.95, true, 1), run("ok", 0.85, true, 1), run("ok", 0.92, true, 1)),
        ATTAINMENT);
    assertThat(pass.stable()).isTrue();
    assertThat(pass.slo()).isTrue();
    assertThat(pass.reason()).isEmpty();
    // mean (0.95 + 0.80 + 0.92) / 3 = 0.89 < 0.9
    Verdict low = Verdict.of(List.of(run("ok", 0.95, true, 1), run("ok", 0.80, true, 1), run("ok", 0.92, true, 1)),
        ATTAINMENT);
    assertThat(low.slo()).isFalse();
    assertThat(low.stable()).isTrue();
    assertThat(low.reason()).isEqualTo("attainment 0.89 < 0.9");
    Verdict unsteady = Verdict.of(List.of(run("ok", 1, true, 1), run("ok", 1, false, 1), run("ok", 1, true, 1)),
        ATTAINMENT);
    assertThat(unsteady.slo()).isFalse();
    assertThat(unsteady.reason()).isEqualTo("window not in steady state in 1 of 3 runs");
    assertThat(Verdict.of(List.of(run("ok", 1, false, 1)), new Plan.Slo(true, List.of(), false)).slo()).isTrue();
  }

  @Test
  void percentileBoundsUseTheMeanOverReplications() {
    Plan.Slo ttft = new Plan.Slo(false, List.of("ttft_p90_ms <= 2000"), true);
    // mean (1500 + 2600 + 1900) / 3 = 2000: on the bound, met by <=, not by <
    List<RunRecord> runs = List.of(run("ok", 0, true, 1500), run("ok", 0, true, 2600), run("ok", 0, true, 1900));
    assertThat(Verdict.of(runs, ttft).slo()).isTrue();
    Verdict strict = Verdict.of(runs, new Plan.Slo(false, List.of("ttft_p90_ms < 2000"), true));
    assertThat(strict.slo()).isFalse();
    assertThat(strict.reason()).isEqualTo("ttft_p90_ms 2000 > 2000 or equal");
    assertThat(SloBound.parse("tbt_p99_ms<=200")).isEqualTo(new SloBound("tbt_p99_ms", "latency.tbt_ms.p99", false,
        200));
  }

  /** An unstable or stalled run fails the probe for both capacities, whatever the others (called off: null) say. */
  @Test
  void anUnstableOrStalledRunFailsTheProbeEarly() {
    Verdict unstable = Verdict.of(Arrays.asList(run("ok", 1, true, 1), run("unstable", 0.1, false, 1), null),
        ATTAINMENT);
    assertThat(unstable.stable()).isFalse();
    assertThat(unstable.slo()).isFalse();
    assertThat(unstable.stoppedEarly()).isTrue();
    assertThat(unstable.reason()).isEqualTo("a run ended unstable");
    assertThat(Verdict.of(Arrays.asList(null, run("stalled", 1, true, 1), null), ATTAINMENT).reason())
        .isEqualTo("a run ended stalled");
    assertThat(Verdict.stops(run("stalled", 1, true, 1))).isTrue();
    assertThat(Verdict.stops(run("ok", 1, true, 1))).isFalse();
    assertThat(Verdict.stops(RunRecord.failed(new ExperimentRun(0, 0, 1), null, "bad"))).isTrue();
  }

  /**
   * A synthetic candidate: unstable above 9, SLO met up to 7.3, in [0, 10] at tolerance 0.1. The
   * stable search probes 0, 10, 5, 7.5, 8.75, 9.375, 9.0625, 8.90625, 8.984375 (9 probes: 8.984375
   * passes, 9.0625 fails). The SLO search then starts between 5 (the hardest SLO pass) and 7.5 (the
   * easiest SLO fail), which are known: 6.25, 6.875, 7.1875, 7.34375, 7.265625 are new, 5 probes,
   * where alone it would have made 9.
   */
  @Test
  void theSloSearchStartsFromTheStableSearchsProbes() throws Exception {
    List<Double> probed = new ArrayList<>();
    PlanRunner runner = new PlanRunner(plan(0, 10, 0.1), (c, number, v) -> {
      probed.add(v);
      String status = v > 9 ? "unstable" : "ok";
      return new Probe(c, number, v, List.of(run(status, v <= 7.3 ? 0.95 : 0.5, true, 1)),
          Verdict.of(List.of(run(status, v <= 7.3 ? 0.95 : 0.5, true, 1)), ATTAINMENT), 0);
    });
    PlanRunner.CandidateResult r = runner.run(0, PlanRunner.Listener.NONE);
    assertThat(r.stable().capacity()).isEqualTo(8.984375);
    assertThat(r.stable().failing()).isEqualTo(9.0625);
    assertThat(r.slo().capacity()).isEqualTo(7.265625);
    assertThat(r.slo().failing()).isEqualTo(7.34375);
    assertThat(probed).containsExactly(0.0, 10.0, 5.0, 7.5, 8.75, 9.375, 9.0625, 8.90625, 8.984375,
        6.25, 6.875, 7.1875, 7.34375, 7.265625);
    assertThat(r.probes()).extracting(Probe::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    assertThat(r.atCapacity().value()).isEqualTo(7.265625);
  }

  /** The easy end unstable: no capacity of either kind, after one probe. */
  @Test
  void anUnstableEasyEndLeavesNoCapacity() throws Exception {
    List<Double> probed = new ArrayList<>();
    PlanRunner runner = new PlanRunner(plan(2, 10, 0.1), (c, number, v) -> {
      probed.add(v);
      List<RunRecord> runs = Arrays.asList(run("unstable", 0, false, 1), null, null);
      return new Probe(c, number, v, runs, Verdict.of(runs, ATTAINMENT), 0);
    });
    PlanRunner.CandidateResult r = runner.run(0, PlanRunner.Listener.NONE);
    assertThat(r.stable().outcome()).isEqualTo(Bisection.Outcome.NONE);
    assertThat(r.slo().outcome()).isEqualTo(Bisection.Outcome.NONE);
    assertThat(r.atCapacity()).isNull();
    assertThat(probed).containsExactly(2.0);
  }

  /**
   * Hand numbers: a at 20 conversations/s on 8 GPUs of $3/h = $24/h, 1.2 $/h and 0.4 GPUs per
   * conversation/s, 0.3 J/token, 50 J/turn; b at 50 on 16 GPUs of $4/h = $64/h, 1.28 $/h and 0.32
   * GPUs per conversation/s, 0.25 J/token, 60 J/turn; c has no capacity and comes last. Heat: a's
   * hottest GPU peaks at 84 °C, b's at 71 °C, so by peak_temperature b comes first although a is
   * cheaper; d, as cheap as a but without a temperature (no thermal figures), has no rank there.
   */
  @Test
  void eachObjectiveRanksTheCandidates() {
    Ranking.Entry a = new Ranking.Entry("a", Bisection.Outcome.FOUND, 20, 20, 8, 24, 0.3, 50, 84);
    Ranking.Entry b = new Ranking.Entry("b", Bisection.Outcome.FOUND, 50, 50, 16, 64, 0.25, 60, 71);
    Ranking.Entry c = new Ranking.Entry("c", Bisection.Outcome.NONE, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN);
    assertThat(a.usdPerHourPerLoad()).isEqualTo(1.2);
    assertThat(b.usdPerHourPerLoad()).isEqualTo(1.28);
    assertThat(a.gpusPerLoad()).isEqualTo(0.4);
    assertThat(b.gpusPerLoad()).isEqualTo(0.32);
    List<Ranking.Entry> all = List.of(c, a, b);
    assertThat(Ranking.rank(all, "cost")).containsExactly(a, b, c);
    assertThat(Ranking.rank(all, "gpus")).containsExactly(b, a, c);
    assertThat(Ranking.rank(all, "energy_per_token")).containsExactly(b, a, c);
    assertThat(Ranking.rank(all, "energy_per_turn")).containsExactly(a, b, c);
    assertThat(Ranking.rank(all, "peak_temperature")).containsExactly(b, a, c);
    assertThat(a.score("peak_temperature")).isEqualTo(84);
    Ranking.Entry d = new Ranking.Entry("d", Bisection.Outcome.FOUND, 20, 20, 8, 24, 0.3, 50, Double.NaN);
    assertThat(Ranking.rank(List.of(d, a, b), "peak_temperature")).containsExactly(b, a, d);
    assertThat(Ranking.rank(List.of(d, a, b), "cost")).containsExactly(d, a, b);
    Ranking.Entry tie = new Ranking.Entry("t", Bisection.Outcome.FOUND, 20, 20, 8, 24, 0.3, 50, 84);
    assertThat(Ranking.rank(List.of(tie, a), "cost")).containsExactly(tie, a); // ties keep the plan's order
  }
}
