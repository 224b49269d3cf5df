package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.OneOfCatalog;
import dev.tokentherm.config.Range;

@Doc("KV cache of each replica")
public record KvSpec(
    @Default("16") @Range(min = 1, max = 1_048_576) @Doc("tokens per KV block") int blockTokens,
    @Default("0.9") @Range(min = 0, max = 1, minExclusive = true) @Doc("share of HBM the engine may use (vLLM gpu_memory_utilization)") double gpuMemoryUtilization,
    @Default("none") @OneOf({"none", "recompute", "swap"})
    @Doc("none: a request reserves at admission the KV blocks its turn ends with (never preempted); recompute /"
        + " swap: blocks are taken as the KV grows, and when a decode step finds too few the most recently"
        + " admitted running request is preempted: its KV dropped and recomputed later (a stack that frees KV tail"
        + " first, vllm-v1, keeps its full blocks as evictable KV that the readmission re-hits), or swapped to host"
        + " memory over the host link and back") String preemption,
    @Default("0.01") @Range(min = 0, max = 1) @Doc("share of KV blocks kept free when admitting (vLLM's watermark), with preemption") double watermark,
    @Default("true") @Doc("keep a conversation's KV between turns so the next turn prefills only its new tokens") boolean prefixCaching,
    @Range(min = 1, max = Limits.MAX_KV_BLOCKS) @Doc("measured KV blocks per GPU, replacing the capacity formula") Long numGpuBlocks,
    @Default("lru") @OneOfCatalog("eviction")
    @Doc("The policy chooses which unpinned KV blocks admission and decode growth reclaim first, over idle"
        + " conversations' KV and cached prefix blocks alike.") String eviction,
    @Default("last-admitted") @OneOfCatalog("preemption-victim")
    @Doc("With preemption (recompute or swap): which running request loses its KV when a decode step finds too"
        + " few blocks.") String preemptionVictim,
    @Default("keep") @OneOfCatalog("placement")
    @Doc("Where a conversation's KV goes when its turn ends (tiers below HBM: cluster.kv_tiers).") String placement,
    @Default("300") @Range(min = 0, max = Limits.MAX_SECONDS)
    @Doc("demote-on-idle: seconds a conversation's KV stays idle in HBM before it moves down a tier; ttl"
        + " eviction: the age past which idle KV goes first") double idleTtlS,
    @Default("load") @OneOf({"load", "recompute", "auto"})
    @Doc("When a turn's KV is found below HBM: load copies it up (the request waits for it, in its TTFT);"
        + " recompute prefills the history again; auto does whichever the models say is faster (the copy's"
        + " latency + bytes / bandwidth against the roofline's prefill time).") String reuse,
    @Default("none")
    @Doc("KV connector profile id (hardware-profiles/connectors/<id>.yaml): the offload engine that writes this"
        + " deployment's KV to the tiers below HBM (cluster.kv_tiers) and loads it back: its chunk size, whether it"
        + " stores partial chunks and decode KV, whether a load stalls the batch, when it writes, its host-memory"
        + " cache. none: KV goes down only as kv.placement and eviction move it, whole, loaded asynchronously.")
    String connector) {

  /** Whether a connector profile is named. */
  public boolean hasConnector() {
    return !"none".equals(connector);
  }
}
