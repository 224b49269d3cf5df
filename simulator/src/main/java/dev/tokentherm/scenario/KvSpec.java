package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;

@Doc("KV cache of each replica")
public record KvSpec(
    @Default("16") @Range(min = 1) @Doc("tokens per KV block") int blockTokens,
    @Default("0.9") @Range(min = 0, max = 1, minExclusive = true) @Doc("share of HBM the engine may use (vLLM gpu_memory_utilization)") double gpuMemoryUtilization,
    @Default("recompute") @OneOf({"recompute"}) @Doc("what happens to a sequence that loses its KV: recompute it") String preemption,
    @Default("true") @Doc("keep a conversation's KV between turns so the next turn prefills only its new tokens") boolean prefixCaching,
    @Range(min = 1) @Doc("measured KV blocks per GPU, replacing the capacity formula") Long numGpuBlocks) {}
