package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.experiment.RunRecord;
import dev.tokentherm.plan.Plan;
import dev.tokentherm.plan.PlanFile;
import dev.tokentherm.plan.Probe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time left of sweeps and plans on a terminal, by hand; nothing printed off a terminal. */
class ProgressEtaTest {
  @Test
  void runsLeftAreTheMeanRunTimesTheRunsLeftOverTheThreads() {
    // 3 runs took 30 s in all: 10 s each; 12 left on 2 threads: 6 rounds of 10 s
    assertThat(ProgressLine.runsLeftS(30, 3, 12, 2)).isEqualTo(60.0);
    // one run left on 2 threads still takes one run's time
    assertThat(ProgressLine.runsLeftS(30, 3, 1, 2)).isEqualTo(10.0);
    // 7 left on 4 threads: 10 × 7 / 4
    assertThat(ProgressLine.runsLeftS(30, 3, 7, 4)).isEqualTo(17.5);
    assertThat(ProgressLine.runsLeftS(30, 3, 0, 2)).isZero();
    assertThat(ProgressLine.runsLeftS(0, 0, 5, 2)).isNaN();
    assertThat(ProgressLine.left(60.0)).isEqualTo("about 1 min 00 s left");
    assertThat(ProgressLine.left(17.5)).isEqualTo("about 18 s left");
    assertThat(ProgressLine.left(Double.NaN)).isEqualTo("time left unknown");
    assertThat(SweepProgress.line(37, 120, 12, 0, 65)).isEqualTo(
        "sweep: 37 of 120 runs (12 already done, 0 failed), about 1 min 05 s left");
  }

  @Test
  void aPlanMakesAtMostTwoEndsAndTwiceTheMidpointsPerCandidate() throws Exception {
    Plan plan = PlanFile.load(Path.of("scenarios/sweeps/quickstart-plan.yaml"), null).plan();
    // bracket 4 to 64, tolerance 0.5: 60 halves to 0.47 in 7 steps; 2 ends + 7 + 7
    assertThat(PlanProgress.maxProbes(plan.search())).isEqualTo(16);
    // 3 runs of 10, 20 and 30 s: 20 s each; 15 probes × 3 replications left on 2 threads: 20 × 45 / 2
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PlanProgress shown = new PlanProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, plan, 2);
    shown.probed(probe(10, 20, 30));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("plan: 1 of at most 16 probes, 3 runs, at most about 7 min 30 s left");
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    PlanProgress piped = new PlanProgress(new PrintStream(none, true, StandardCharsets.UTF_8), false, plan, 2);
    piped.probed(probe(10, 20, 30));
    piped.clear();
    assertThat(none.size()).isZero();
  }

  private static Probe probe(double... wallS) {
    List<RunRecord> runs = new ArrayList<>();
    for (double w : wallS) {
      runs.add(new RunRecord(null, "hash", "ok", false, w, Map.of(), null));
    }
    return new Probe(0, 1, 4, runs, null, 0);
  }
}
