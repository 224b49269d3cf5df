package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOfCatalog;
import dev.tokentherm.config.Range;

@Doc("Batch scheduler of each replica")
public record SchedulerSpec(
    @Default("vllm-v1") @OneOfCatalog("batch-policy") String policy,
    @Default("8192") @Range(min = 1) @Doc("token budget of one iteration (decode tokens + prefill chunk tokens)") int maxNumBatchedTokens,
    @Default("256") @Range(min = 1) @Doc("most sequences in one iteration") int maxNumSeqs) {}
