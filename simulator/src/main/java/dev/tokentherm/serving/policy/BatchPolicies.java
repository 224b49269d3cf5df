package dev.tokentherm.serving.policy;

/**
 * The batch policies scenarios name, registered in {@code registry.PolicyRegistry}. Each mirrors an engine's documented behaviour:
 * <ul>
 *   <li>{@code vllm-v1}: running decodes first, then prefill chunks in admission order in the
 *       remaining max_num_batched_tokens (vLLM V1's unified scheduler with chunked prefill);
 *   <li>{@code sarathi}: stall-free batching: decodes first, then one prefill chunk (the oldest)
 *       filling the token budget (Sarathi-Serve);
 *   <li>{@code vllm-v0}: prefill first, no chunking: an iteration of whole prompts (admission
 *       order, within the budget) whenever any is waiting, decodes paused; else decodes (vLLM V0's
 *       default scheduler);
 *   <li>{@code orca}: iteration-level batching without chunking: decodes plus whole prompts that fit
 *       the remaining budget (Orca);
 *   <li>{@code decode-priority}: decodes alone while any run; whole prompts only when none do;
 *   <li>{@code static}: request-level batching: a batch is admitted only into an empty replica,
 *       prefilled whole, then decoded until every request in it is done.
 * </ul>
 */
public final class BatchPolicies {
  private BatchPolicies() {}

  public static final BatchPolicy VLLM_V1 = policy("vllm-v1", (v, out) -> {
    out.includeDecodes = true;
    BatchPolicy.chunked(v, out, v.maxBatchedTokens() - (long) v.decodes(), Integer.MAX_VALUE);
  });

  public static final BatchPolicy SARATHI = policy("sarathi", (v, out) -> {
    out.includeDecodes = true;
    BatchPolicy.chunked(v, out, v.maxBatchedTokens() - (long) v.decodes(), 1);
  });

  public static final BatchPolicy VLLM_V0 = policy("vllm-v0", (v, out) -> {
    if (v.prefilling() > 0) {
      BatchPolicy.whole(v, out, v.maxBatchedTokens(), true);
    } else {
      out.includeDecodes = true;
    }
  });

  public static final BatchPolicy ORCA = policy("orca", (v, out) -> {
    out.includeDecodes = true;
    BatchPolicy.whole(v, out, v.maxBatchedTokens() - (long) v.decodes(), v.decodes() == 0);
  });

  public static final BatchPolicy DECODE_PRIORITY = policy("decode-priority", (v, out) -> {
    if (v.decodes() > 0) {
      out.includeDecodes = true;
    } else {
      BatchPolicy.whole(v, out, v.maxBatchedTokens(), true);
    }
  });

  public static final BatchPolicy STATIC = new BatchPolicy() {
    @Override
    public String name() {
      return "static";
    }

    @Override
    public boolean mayAdmit(ReplicaView v) {
      return v.decodes() == 0 && v.prefilling() == 0;
    }

    @Override
    public void plan(ReplicaView v, BatchPlan out) {
      out.includeDecodes = true;
      for (int i = 0; i < v.prefilling(); i++) {
        out.chunk(i, v.remainingPrefill(i)); // the whole batch's prompts at once
      }
    }
  };

  private interface Planner {
    void plan(ReplicaView v, BatchPlan out);
  }

  private static BatchPolicy policy(String name, Planner planner) {
    return new BatchPolicy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void plan(ReplicaView v, BatchPlan out) {
        planner.plan(v, out);
      }
    };
  }
}
