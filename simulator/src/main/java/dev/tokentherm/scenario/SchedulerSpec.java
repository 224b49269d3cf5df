package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;

@Doc("Batch scheduler of each replica")
public record SchedulerSpec(
    @Default("vllm-v1") @OneOf({"vllm-v1", "sarathi", "vllm-v0", "orca", "decode-priority", "static"})
    @Doc("vllm-v1: decodes first, prompts chunked into the remaining token budget; sarathi: decodes first, one"
        + " prompt chunk filling the budget; vllm-v0: whole prompts first (decodes pause); orca: decodes plus whole"
        + " prompts that fit; decode-priority: decodes alone while any run; static: request-level batches") String policy,
    @Default("8192") @Range(min = 1) @Doc("token budget of one iteration (decode tokens + prefill chunk tokens)") int maxNumBatchedTokens,
    @Default("256") @Range(min = 1) @Doc("most sequences in one iteration") int maxNumSeqs) {}
