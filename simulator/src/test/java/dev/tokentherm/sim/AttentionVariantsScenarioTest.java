package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.serving.Request;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped attention-variants scenario: probes from 1k to 1M tokens and a podcast per variant. */
class AttentionVariantsScenarioTest {
  private static SimTestSupport.Run run;
  private static final Map<String, RunMetrics.ProbeRow> PROBES = new HashMap<>();

  @BeforeAll
  static void runOnce() {
    run = SimTestSupport.file("scenarios/attention-variants.yaml").run();
    for (RunMetrics.ProbeRow p : run.result().metrics().probes()) {
      PROBES.put(p.deployment() + "@" + p.contextTokens(), p);
    }
  }

  private static Request probe(String variant, long context) {
    RunMetrics.ProbeRow row = PROBES.get(variant + "-probe@" + context);
    assertThat(row).as("probe %s at %d", variant, context).isNotNull();
    assertThat(row.request()).as("%s at %d ran: %s", variant, context, row.doesNotFit()).isNotNull();
    return row.request();
  }

  @Test
  void everyVariantIsProbedAtEveryContext() {
    // 9 variants × 7 contexts, each either measured or reported as does_not_fit
    assertThat(run.result().metrics().probes()).hasSize(63);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void gqaHoldsOneMillionTokensButLatentVariantsDoNot() {
    // GQA bf16 at TP 8 × PP 2: 32 KiB per token per GPU, 1M tokens = 30.5 GiB of ~64 GiB free
    assertThat(probe("gqa", 1_000_000).tpotNs()).isGreaterThan(probe("gqa", 1000).tpotNs());
    // MLA keeps 1,152 B per token per layer on every rank: 64 layers · 1,152 B · 1M = 68.7 GiB
    RunMetrics.ProbeRow mla = PROBES.get("mla-probe@1000000");
    assertThat(mla.request()).isNull();
    // max_model_len defaults to what the KV cache holds, so the 1,000,065-token request exceeds it
    assertThat(mla.doesNotFit()).startsWith("context 1000001 + output 64 = 1000065 tokens exceeds max_model_len ")
        .contains("what the KV cache of a replica holds");
    assertThat(PROBES.get("dsa-probe@1000000").request()).isNull();
  }

  @Test
  void boundedHistoryMakesTheCostFlat() {
    for (String flat : new String[] {"sliding-window", "global-local", "mamba", "chunked-retrieval"}) {
      double at32k = probe(flat, 32_000).tpotNs();
      assertThat(probe(flat, 1_000_000).tpotNs()).as(flat).isCloseTo(at32k, within(at32k * 1e-3));
    }
    // a sliding window costs the same at 8,000 tokens (past its 4,096) as at 1M
    assertThat(probe("sliding-window", 8000).activeJ()).isCloseTo(probe("sliding-window", 1_000_000).activeJ(),
        within(1e-6));
    // full attention does not: GQA's step at 1M costs more than at 1k
    assertThat(probe("gqa", 1_000_000).activeJ()).isGreaterThan(1.3 * probe("gqa", 1000).activeJ());
  }

  @Test
  void podcastsReportTheFivePhrasesPerVariant() {
    Map<String, Request[]> phrases = run.result().metrics().phrases();
    assertThat(phrases).hasSize(9);
    Request[] mamba = phrases.get("mamba-podcast");
    Request[] gqa = phrases.get("gqa-podcast");
    // minute 505: the turn with 98,514 tokens of context; Mamba's phrase costs what it cost at minute 5
    assertThat(gqa[4].contextTokens()).isEqualTo(98_514);
    assertThat(mamba[4].activeJ()).isCloseTo(mamba[0].activeJ(), within(1e-6 * mamba[0].activeJ()));
    assertThat(gqa[4].activeJ()).isGreaterThan(gqa[0].activeJ());
  }
}
