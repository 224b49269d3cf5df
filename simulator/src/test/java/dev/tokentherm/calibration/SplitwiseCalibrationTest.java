package dev.tokentherm.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.StackProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The splitwise-2023 stack against Splitwise's table (issue 3): every CSV row gives a prefill
 * (prompt_time) and a decode (token_time) measurement; fitted on Llama2-70B TP2 + TP8, held out
 * Llama2-70B TP4 and BLOOM-176B. The numbers come from {@link SplitwiseFit}; this test only evaluates.
 */
class SplitwiseCalibrationTest {
  static final Path CSV = Path.of("data/traces/splitwise_sim_perf_model.csv");
  static final List<SplitwiseRow> ROWS = SplitwiseRow.read(CSV);
  static final SplitwiseSelection SELECTION = SplitwiseSelection.of(ROWS);

  /** The impossible TP2 batch-64 prefills: 64 x 512 tokens in 359 ms (H100) / 794 ms (A100), batch 32 takes 2.4 s / 6.6 s. */
  static final List<Integer> IMPOSSIBLE_PREFILL_LINES = List.of(61, 62, 63, 64, 65, 66, 67, 68, 69, 70);
  /** The synthetic power-capped rows (h100-80gb-pcap): lines 841-1260, both their measurements. */
  static final int PCAP_FIRST_LINE = 841;
  static final int PCAP_LAST_LINE = 1260;

  @Test
  void excludesTheImpossiblePrefillsAndThePowerCappedRowsOnly() {
    assertThat(ROWS).hasSize(1260);
    List<Integer> impossible = new ArrayList<>();
    List<Integer> pcap = new ArrayList<>();
    for (SplitwiseSelection.Excluded e : SELECTION.excluded()) {
      SplitwiseRow r = e.point().row();
      if (e.reason().equals(SplitwiseSelection.IMPOSSIBLE_REASON)) {
        assertThat(e.point().kind()).isEqualTo(SplitwisePoint.Kind.PREFILL);
        assertThat(r.tensorParallel()).isEqualTo(2);
        assertThat(r.batchSize()).isEqualTo(64);
        impossible.add(r.line());
      } else {
        assertThat(r.hardware()).isEqualTo("h100-80gb-pcap");
        pcap.add(r.line());
      }
    }
    assertThat(impossible).containsExactlyElementsOf(IMPOSSIBLE_PREFILL_LINES);
    assertThat(pcap).hasSize(2 * (PCAP_LAST_LINE - PCAP_FIRST_LINE + 1)).allMatch(l -> l >= PCAP_FIRST_LINE && l <= PCAP_LAST_LINE);
    assertThat(SELECTION.excluded()).hasSize(850);
    // what is left: 2 measurements per row, 1,670 in all
    assertThat(SELECTION.group(SplitwiseGroup.FITTED)).hasSize(830);
    assertThat(SELECTION.group(SplitwiseGroup.HELD_OUT_LLAMA_TP4)).hasSize(420);
    assertThat(SELECTION.group(SplitwiseGroup.HELD_OUT_BLOOM_H100)).hasSize(210);
    assertThat(SELECTION.group(SplitwiseGroup.HELD_OUT_BLOOM_A100)).hasSize(210);
    StringBuilder out = new StringBuilder("excluded impossible TP2 batch-64 prefills:\n");
    for (SplitwiseSelection.Excluded e : SELECTION.excluded()) {
      if (e.reason().equals(SplitwiseSelection.IMPOSSIBLE_REASON)) {
        out.append("  ").append(e.point().label()).append(String.format(" %.1f ms%n", e.point().measuredS() * 1e3));
      }
    }
    System.out.print(out);
  }

  @Test
  void meetsTheMapeTargetsOfEveryGroup() {
    SplitwiseCalibration calibration = new SplitwiseCalibration(TestProfiles.LIBRARY, TestProfiles.stack("splitwise-2023"));
    Map<SplitwiseGroup, CalibrationReport> reports = calibration.reports(SELECTION);
    assertThat(reports).hasSize(4);
    StringBuilder summary = new StringBuilder();
    for (Map.Entry<SplitwiseGroup, CalibrationReport> e : reports.entrySet()) {
      CalibrationReport r = e.getValue();
      System.out.println(r.title());
      System.out.print(CalibrationReport.formatRows(r.rows(), "ms"));
      summary.append(r.summaryLine()).append(String.format(" (target <= %.0f %%)%n", e.getKey().mapeTarget() * 100));
    }
    System.out.print(summary);
    for (Map.Entry<SplitwiseGroup, CalibrationReport> e : reports.entrySet()) {
      assertThat(e.getValue().mape()).as(e.getValue().summaryLine()).isLessThanOrEqualTo(e.getKey().mapeTarget());
    }
  }

  @Test
  void byTpEntriesOverrideTheBaseValuesNodeFirst() {
    StackProfile s = TestProfiles.stack("splitwise-2023");
    StackProfile.Overheads h100 = s.overheadsAt(8, "dgx-h100");
    StackProfile.Overheads a100 = s.overheadsAt(8, "dgx-a100");
    StackProfile.Overheads h200 = s.overheadsAt(8, "dgx-h200");
    assertThat(h100.collectiveLaunchS()).isCloseTo(94.7e-6, within(1e-12));
    assertThat(a100.collectiveLaunchS()).isCloseTo(152.4e-6, within(1e-12));
    assertThat(h200.collectiveLaunchS()).as("generic entry for other nodes").isCloseTo(94.7e-6, within(1e-12));
    assertThat(s.overheadsAt(1, "dgx-h100").collectiveLaunchS()).as("no entry: base (absent: 0)").isZero();
    assertThat(a100.perTokenS()).as("base value kept").isCloseTo(7.0e-6, within(1e-12));
    assertThat(a100.collectiveLatencyS()).as("NCCL only").isInfinite();
    // TP4 (held out) lies halfway in log2(tp) between the TP2 and TP8 fits
    for (String node : List.of("dgx-h100", "dgx-a100")) {
      double mid = (s.overheadsAt(2, node).collectiveLaunchS() + s.overheadsAt(8, node).collectiveLaunchS()) / 2;
      assertThat(s.overheadsAt(4, node).collectiveLaunchS()).isCloseTo(mid, within(0.06e-6));
    }
    // vllm-v1 has no by_tp: its base values at every tp
    StackProfile vllm = TestProfiles.stack("vllm-v1");
    assertThat(vllm.overheadsAt(8, "dgx-h100").iterationS()).isCloseTo(1e-3, within(1e-12));
    assertThat(vllm.overheadsAt(8, "dgx-h100").collectiveLatencyS()).isCloseTo(10e-6, within(1e-12));
  }
}
