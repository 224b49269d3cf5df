package dev.tokentherm.serving.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Batch policies on hand-built replica views. */
class BatchPoliciesTest {
  /** A replica with {@code decodes} running decodes and prompts still to compute, in admission order. */
  record View(int decodes, long[] remaining, int maxBatchedTokens, int maxSeqs) implements ReplicaView {
    @Override
    public int prefilling() {
      return remaining.length;
    }

    @Override
    public long remainingPrefill(int i) {
      return remaining[i];
    }

    @Override
    public boolean prefillStarted(int i) {
      return false;
    }
  }

  private static BatchPlan plan(BatchPolicy p, View v) {
    BatchPlan out = new BatchPlan();
    out.clear(v.prefilling());
    p.plan(v, out);
    return out;
  }

  private static long[] chunks(BatchPlan plan) {
    long[] c = new long[plan.prefilling()];
    for (int i = 0; i < c.length; i++) {
      c[i] = plan.chunk(i);
    }
    return c;
  }

  @Property(tries = 300)
  void chunkingPoliciesNeverExceedTheirTokenBudget(@ForAll @IntRange(min = 0, max = 300) int decodes,
      @ForAll @Size(max = 20) List<@LongRange(min = 1, max = 20_000) Long> prompts,
      @ForAll @IntRange(min = 300, max = 16_384) int budget) {
    View v = new View(decodes, prompts.stream().mapToLong(Long::longValue).toArray(), budget, 512);
    for (BatchPolicy p : List.of(BatchPolicies.VLLM_V1, BatchPolicies.SARATHI)) {
      BatchPlan plan = plan(p, v);
      assertThat(plan.includeDecodes).isTrue();
      assertThat(plan.tokens(decodes)).as(p.name()).isLessThanOrEqualTo(Math.max(budget, decodes));
      for (int i = 0; i < v.prefilling(); i++) {
        assertThat(plan.chunk(i)).isBetween(0L, v.remainingPrefill(i));
      }
    }
  }

  @Test
  void vllmV1ChunksPromptsInAdmissionOrderIntoWhatDecodesLeave() {
    // budget 8,192, 100 decodes: 8,092 tokens for prompts of 5,000, 4,000 and 300 tokens
    BatchPlan plan = plan(BatchPolicies.VLLM_V1, new View(100, new long[] {5000, 4000, 300}, 8192, 256));
    assertThat(chunks(plan)).containsExactly(5000, 3092, 0);
  }

  @Test
  void sarathiGivesOnePromptChunkPerIteration() {
    BatchPlan plan = plan(BatchPolicies.SARATHI, new View(100, new long[] {5000, 4000}, 8192, 256));
    assertThat(chunks(plan)).containsExactly(5000, 0);
    assertThat(chunks(plan(BatchPolicies.SARATHI, new View(100, new long[] {20_000}, 8192, 256)))).containsExactly(8092);
  }

  @Test
  void vllmV0AdmitsWholePromptsInArrivalOrderAndPausesDecodes() {
    // whole prompts first come, first served: 3,000 + 4,000 fit 8,192; 2,000 would too but must not
    // jump ahead of the 5,000 that does not
    BatchPlan plan = plan(BatchPolicies.VLLM_V0, new View(50, new long[] {3000, 4000, 5000, 2000}, 8192, 256));
    assertThat(plan.includeDecodes).isFalse();
    assertThat(chunks(plan)).containsExactly(3000, 4000, 0, 0);
    // a prompt longer than the budget runs alone rather than never
    assertThat(chunks(plan(BatchPolicies.VLLM_V0, new View(0, new long[] {20_000, 10}, 8192, 256))))
        .containsExactly(20_000, 0);
    // no prompt waiting: decodes
    assertThat(plan(BatchPolicies.VLLM_V0, new View(50, new long[0], 8192, 256)).includeDecodes).isTrue();
  }

  @Test
  void orcaAddsWholePromptsThatFitBesideTheDecodes() {
    BatchPlan plan = plan(BatchPolicies.ORCA, new View(200, new long[] {4000, 4000, 100}, 8192, 256));
    assertThat(plan.includeDecodes).isTrue();
    assertThat(chunks(plan)).containsExactly(4000, 0, 0); // 200 + 4,000 + 4,000 > 8,192: first come, first served
  }

  @Test
  void decodePriorityRunsPromptsOnlyWhenNothingDecodes() {
    assertThat(chunks(plan(BatchPolicies.DECODE_PRIORITY, new View(3, new long[] {100}, 8192, 256))))
        .containsExactly(0);
    assertThat(chunks(plan(BatchPolicies.DECODE_PRIORITY, new View(0, new long[] {100, 200}, 8192, 256))))
        .containsExactly(100, 200);
  }

  @Test
  void staticBatchesAdmitOnlyIntoAnEmptyReplica() {
    assertThat(BatchPolicies.STATIC.mayAdmit(new View(0, new long[0], 8192, 256))).isTrue();
    assertThat(BatchPolicies.STATIC.mayAdmit(new View(1, new long[0], 8192, 256))).isFalse();
    assertThat(BatchPolicies.STATIC.mayAdmit(new View(0, new long[] {5}, 8192, 256))).isFalse();
    assertThat(chunks(plan(BatchPolicies.STATIC, new View(0, new long[] {9000, 9000}, 8192, 256))))
        .containsExactly(9000, 9000);
  }
}
