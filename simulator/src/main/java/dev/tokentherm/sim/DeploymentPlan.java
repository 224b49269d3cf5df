package dev.tokentherm.sim;

import dev.tokentherm.hardware.ConnectorProfile;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.ResolvedProfiles;
import java.util.List;

/**
 * A deployment resolved against its profiles: the model's work, the roofline of one replica, the
 * KV capacity of one GPU, its KV connector (null: none), checked before the run (weights that
 * cannot fit are an error here).
 */
public record DeploymentPlan(
    Deployment spec,
    Architecture model,
    GpuProfile gpu,
    NodeProfile node,
    StackProfile stack,
    Roofline roofline,
    KvCapacity kv,
    long maxModelLen,
    ConnectorProfile connector) {

  private static final double GIB = 1024.0 * 1024 * 1024;

  /** Plans deployment {@code index} of a scenario on nodes of profile {@code node}. */
  public static DeploymentPlan of(int index, Deployment d, ResolvedProfiles profiles, NodeProfile node,
      boolean stagesAcrossNodes) throws SetupException {
    String at = "deployments[" + index + "]";
    var m = profiles.model(d.model());
    GpuProfile gpu = profiles.gpu(node.gpu());
    StackProfile stack = profiles.stack(d.stack());
    int tp = d.parallelism().tp();
    int pp = d.parallelism().pp();
    int ep = d.parallelism().ep();
    if (tp > node.gpusPerNode()) {
      throw problem(at + ".parallelism.tp", "is " + tp + " but a " + node.id() + " node has "
          + node.gpusPerNode() + " GPUs; a stage's tensor-parallel group stays inside one node; allowed: 1 to "
          + node.gpusPerNode());
    }
    if (ep > 1 && m.moe() == null) {
      throw problem(at + ".parallelism.ep", "is " + ep + " but '" + m.id() + "' has no experts; allowed: 1");
    }
    if (pp > m.layers()) {
      throw problem(at + ".parallelism.pp", "is " + pp + " but '" + m.id() + "' has " + m.layers()
          + " layers; allowed: 1 to " + m.layers());
    }
    if (d.attention() == null && m.attention().equals("sliding-window") && m.slidingWindow() == null) {
      throw problem(at + ".model", "'" + m.id() + "' uses sliding-window attention without sliding_window;"
          + " allowed: a model profile with sliding_window");
    }
    Dtype compute = Dtype.of(d.effectiveComputeDtype());
    if (compute == Dtype.FP8 && gpu.fp8Tflops() == null) {
      throw problem(at + ".compute_dtype", "is fp8 but " + gpu.id() + " has no fp8 tensor cores; allowed: bf16, fp16");
    }
    Dtype weights = Dtype.of(d.weightsDtype());
    Dtype kvType = Dtype.of(d.kvDtype());
    Architecture arch = new Architecture(m, d.attention(), kvType, tp, pp, ep);
    if (!d.kv().preemption().equals("none") && !arch.holdsFullHistory()) {
      throw problem(at + ".kv.preemption", "is " + d.kv().preemption() + " but " + arch.variant()
          + " attention holds a bounded or fixed KV; allowed: none (growth by block is modelled for"
          + " full-history attention)");
    }
    Roofline roofline = new Roofline(arch, gpu, node, stack, weights, compute, stagesAcrossNodes,
        d.parallelism().microBatches());

    double weightsBytes = arch.weightBytesPerGpu(weights);
    var act = stack.activationPeak();
    double activation = d.scheduler().maxNumBatchedTokens()
        * (act.hiddenBuffers().value() * m.hidden() + act.ffnBuffers().value() * m.ffn() / tp) * 2.0
        + d.scheduler().maxNumSeqs() * (double) m.vocab() * act.logitsBytes().value();
    double reserve = stack.reserveMib().value() * 1024 * 1024;
    KvCapacity kv = KvCapacity.fromFormula(gpu.hbmBytes(), d.kv().gpuMemoryUtilization(), weightsBytes,
        activation, reserve, arch.bytesPerHeldTokenPerGpu(), arch.stateBytesPerGpu(), d.kv().blockTokens());
    if (d.kv().numGpuBlocks() != null) {
      kv = kv.withMeasuredBlocks(d.kv().numGpuBlocks());
    } else if (kv.blocks() < 1) {
      throw problem(at + ".model", String.format(java.util.Locale.ROOT,
          "'%s' does not fit on %s with tp %d, pp %d: per GPU %.2f GiB of %s weights + %.2f GiB activations"
              + " + %.2f GiB reserve leave %.2f GiB of the %.2f GiB usable (%.2f × %.0f MiB) for KV;"
              + " allowed: a larger tp or pp, fp8 weights, or a larger GPU",
          m.id(), gpu.id(), tp, pp, weightsBytes / GIB, weights.id(), activation / GIB, reserve / GIB,
          kv.kvBudgetBytes() / GIB, kv.usableBytes() / GIB, d.kv().gpuMemoryUtilization(),
          gpu.hbmMib().value()));
    }
    // as vLLM: an explicit max_model_len must fit the KV cache; left unset it is the smaller of the
    // model's context and what the cache holds (full-history attention; bounded KV holds any context)
    long kvTokens = arch.holdsFullHistory() ? kv.maxHeldTokens() : Long.MAX_VALUE;
    Long explicit = d.admission().maxModelLen();
    if (explicit != null && explicit > kvTokens) {
      throw problem(at + ".admission.max_model_len", "is " + explicit + " tokens but the KV cache of a replica holds "
          + kvTokens + " (" + kv.blocks() + " blocks of " + kv.blockTokens() + " tokens); allowed: at most " + kvTokens
          + ", or more KV (kv.gpu_memory_utilization, kv.num_gpu_blocks, tp)");
    }
    long maxLen = explicit != null ? explicit : Math.min(m.maxContextTokens(), kvTokens);
    return new DeploymentPlan(d, arch, gpu, node, stack, roofline, kv, maxLen, profiles.connectorOf(d));
  }

  private static SetupException problem(String path, String message) {
    return new SetupException(List.of(new SetupException.Problem(path, message)));
  }
}
