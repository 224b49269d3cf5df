package dev.tokentherm.hardware;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How one serving engine behaves on top of the GPU: CPU time per iteration, collective launch
 * latency, the memory it sets aside before the KV cache (vLLM's profile run). Overheads may
 * depend on the tensor-parallel degree ({@code by_tp}); {@link #overheadsAt} resolves them.
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
    @Doc("host time to launch one collective (eager launch, rank synchronisation), µs, counted as CPU time for each all-reduce of the iteration (absent: 0)") Sourced collectiveLaunchUs,
    @Doc("attention-kernel efficiency of this stack, replacing the GPU profile's (absent: the GPU's)") Sourced attentionEfficiency,
    @Doc("overheads at given tensor-parallel degrees; the entry whose tp matches replaces the base values it gives (absent: the base values at every tp)") List<TpOverheads> byTp,
    @Required @Doc("memory of one forward pass over max_num_batched_tokens tokens, by rule") ActivationPeak activationPeak,
    @Required @Doc("memory outside the KV cache, weights and activations (CUDA context, graphs, allocator), MiB per GPU") Sourced reserveMib,
    @Doc("how the engine frees an idle conversation's KV blocks for reuse (absent: whole-conversation)") KvFreeOrder kvFreeOrder)
    implements Validatable {

  /** True when an idle conversation's KV is freed block by block from its tail (vLLM V1's free queue). */
  public boolean freesKvTailFirst() {
    return kvFreeOrder != null && kvFreeOrder.order().equals("tail-first-blocks");
  }

  /**
   * The order in which the engine gives an idle conversation's KV blocks back: tail-first-blocks
   * (vLLM V1 appends a finished request's blocks to its free queue in reverse order, so eviction
   * takes a conversation's tail first and its head survives longest) or whole-conversation.
   */
  @Doc("How an idle conversation's KV blocks are freed for reuse")
  public record KvFreeOrder(
      @Required @dev.tokentherm.config.OneOf({"tail-first-blocks", "whole-conversation"})
      @Doc("tail-first-blocks: block by block, tail first, so a partly evicted conversation keeps its head; whole-conversation: all at once") String order,
      @Required @Doc("where the behaviour is documented (code, paper)") String source) {}

  @Override
  public void validate(Validation v) {
    Physical.nonNegative(v, "iteration_overhead_ms", iterationOverheadMs);
    Physical.nonNegative(v, "per_sequence_overhead_us", perSequenceOverheadUs);
    Physical.nonNegative(v, "per_token_overhead_us", perTokenOverheadUs);
    Physical.fraction(v, "cpu_overlap", cpuOverlap);
    Physical.nonNegative(v, "collective_latency_us", collectiveLatencyUs);
    Physical.nonNegative(v, "collective_launch_us", collectiveLaunchUs);
    Physical.share(v, "attention_efficiency", attentionEfficiency);
    Physical.nonNegative(v, "reserve_mib", reserveMib);
    if (byTp == null) {
      return;
    }
    for (int i = 0; i < byTp.size(); i++) {
      for (int j = 0; j < i; j++) {
        TpOverheads a = byTp.get(i);
        TpOverheads b = byTp.get(j);
        if (a.tp() == b.tp() && Objects.equals(a.node(), b.node())) {
          v.error("by_tp[" + i + "].tp", "is " + a.tp() + (a.node() == null ? "" : " on " + a.node())
              + " again (by_tp[" + j + "]); one entry per tp and node");
        }
      }
    }
  }

  /**
   * Overheads at one tensor-parallel degree, on every node or on one node profile (the CPUs and
   * GPUs of a platform differ); a value left out keeps the less specific one.
   */
  @Doc("Overheads at one tensor-parallel degree (optionally on one node profile); each value given replaces the base value")
  public record TpOverheads(
      @Required @Range(min = 1) @Doc("tensor-parallel degree these values apply to") int tp,
      @Doc("node profile id these values apply to (absent: every node); a node's entry wins over the generic one") String node,
      @Doc("CPU time per iteration not overlapped with the GPU, ms") Sourced iterationOverheadMs,
      @Doc("extra CPU time per sequence in the batch, µs") Sourced perSequenceOverheadUs,
      @Doc("extra CPU time per token in the batch, µs") Sourced perTokenOverheadUs,
      @Doc("latency of the stack's own small-message all-reduce, µs (the faster of it and NCCL is used)") Sourced collectiveLatencyUs,
      @Doc("host time to launch one collective, µs, CPU time per all-reduce") Sourced collectiveLaunchUs)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.nonNegative(v, "iteration_overhead_ms", iterationOverheadMs);
      Physical.nonNegative(v, "per_sequence_overhead_us", perSequenceOverheadUs);
      Physical.nonNegative(v, "per_token_overhead_us", perTokenOverheadUs);
      Physical.nonNegative(v, "collective_latency_us", collectiveLatencyUs);
      Physical.nonNegative(v, "collective_launch_us", collectiveLaunchUs);
    }
  }

  /**
   * The overheads in seconds at tensor-parallel degree {@code tp}, as the roofline reads them.
   * {@code collectiveLatencyS} is +∞ when the stack has no all-reduce of its own (NCCL only).
   */
  public record Overheads(double iterationS, double perSequenceS, double perTokenS, double collectiveLatencyS,
      double collectiveLaunchS) {}

  /**
   * The overheads at tensor-parallel degree {@code tp} on node profile {@code nodeId}: per value,
   * the {@code by_tp} entry of this tp and node, else the entry of this tp for every node, else
   * the base value.
   */
  public Overheads overheadsAt(int tp, String nodeId) {
    TpOverheads generic = null;
    TpOverheads onNode = null;
    if (byTp != null) {
      for (TpOverheads o : byTp) {
        if (o.tp() == tp && o.node() == null) {
          generic = o;
        } else if (o.tp() == tp && o.node().equals(nodeId)) {
          onNode = o;
        }
      }
    }
    TpOverheads g = generic;
    TpOverheads n = onNode;
    Sourced iteration = pick(n, g, TpOverheads::iterationOverheadMs, iterationOverheadMs);
    Sourced perSequence = pick(n, g, TpOverheads::perSequenceOverheadUs, perSequenceOverheadUs);
    Sourced perToken = pick(n, g, TpOverheads::perTokenOverheadUs, perTokenOverheadUs);
    Sourced latency = pick(n, g, TpOverheads::collectiveLatencyUs, collectiveLatencyUs);
    Sourced launch = pick(n, g, TpOverheads::collectiveLaunchUs, collectiveLaunchUs);
    return new Overheads(iteration.value() * 1e-3, perSequence.value() * 1e-6,
        perToken == null ? 0 : perToken.value() * 1e-6,
        latency == null ? Double.POSITIVE_INFINITY : latency.value() * 1e-6,
        launch == null ? 0 : launch.value() * 1e-6);
  }

  private static Sourced pick(TpOverheads onNode, TpOverheads generic,
      Function<TpOverheads, Sourced> field, Sourced base) {
    if (onNode != null && field.apply(onNode) != null) {
      return field.apply(onNode);
    }
    if (generic != null && field.apply(generic) != null) {
      return field.apply(generic);
    }
    return base;
  }

  /**
   * Peak activation bytes per GPU = max_num_batched_tokens · (hidden_buffers · hidden + ffn_buffers
   * · ffn / tp) · 2 B + max_num_seqs · vocab · logits_bytes. Logits are not divided by TP: vLLM
   * gathers the full vocabulary on every rank before sampling.
   */
  @Doc("Activation peak: tokens·(hidden_buffers·hidden + ffn_buffers·ffn/tp)·2 B + max_num_seqs·vocab·logits_bytes (logits gathered on every rank)")
  public record ActivationPeak(
      @Required @Doc("hidden-sized bf16 buffers live per token at the peak") Sourced hiddenBuffers,
      @Required @Doc("FFN-sized bf16 buffers (per TP shard) live per token at the peak") Sourced ffnBuffers,
      @Required @Doc("bytes per vocabulary entry of each sequence's logits row at sampling (fp32 logits and sort indices)") Sourced logitsBytes)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.nonNegative(v, "hidden_buffers", hiddenBuffers);
      Physical.nonNegative(v, "ffn_buffers", ffnBuffers);
      Physical.nonNegative(v, "logits_bytes", logitsBytes);
    }
  }
}
