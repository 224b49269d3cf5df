package dev.tokentherm.hardware;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;

/**
 * How one serving engine behaves on top of the GPU: CPU time per iteration, collective launch
 * latency, the memory it sets aside before the KV cache (vLLM's profile run).
 */
@Doc("A serving-stack profile (hardware-profiles/stacks/<id>.yaml)")
public record StackProfile(
    @Required @Doc("kebab-case id, equal to the file name") String id,
    @Required @Doc("human-readable name") String name,
    @Required @Doc("CPU time per iteration (scheduling, sampling, launch) not overlapped with the GPU, ms") Sourced iterationOverheadMs,
    @Required @Doc("extra CPU time per sequence in the batch, µs") Sourced perSequenceOverheadUs,
    @Doc("extra CPU time per token in the batch, µs (absent: 0)") Sourced perTokenOverheadUs,
    @Doc("share of the CPU time hidden behind the GPU's work, 0..1 (absent: 0, none)") Sourced cpuOverlap,
    @Doc("latency of the stack's own small-message all-reduce (e.g. vLLM's custom all-reduce), µs; the faster of it and NCCL is used (absent: NCCL only)") Sourced collectiveLatencyUs,
    @Doc("attention-kernel efficiency of this stack, replacing the GPU profile's (absent: the GPU's)") Sourced attentionEfficiency,
    @Required @Doc("memory of one forward pass over max_num_batched_tokens tokens, by rule") ActivationPeak activationPeak,
    @Required @Doc("memory outside the KV cache, weights and activations (CUDA context, graphs, allocator), MiB per GPU") Sourced reserveMib) {

  /**
   * Peak activation bytes per GPU = max_num_batched_tokens · (hidden_buffers · hidden + ffn_buffers
   * · ffn / tp) · 2 B + max_num_seqs · vocab · logits_bytes. Logits are not divided by TP: vLLM
   * gathers the full vocabulary on every rank before sampling.
   */
  @Doc("Activation peak: tokens·(hidden_buffers·hidden + ffn_buffers·ffn/tp)·2 B + max_num_seqs·vocab·logits_bytes (logits gathered on every rank)")
  public record ActivationPeak(
      @Required @Doc("hidden-sized bf16 buffers live per token at the peak") Sourced hiddenBuffers,
      @Required @Doc("FFN-sized bf16 buffers (per TP shard) live per token at the peak") Sourced ffnBuffers,
      @Required @Doc("bytes per vocabulary entry of each sequence's logits row at sampling (fp32 logits and sort indices)") Sourced logitsBytes) {}
}
