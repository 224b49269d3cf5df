package dev.tokentherm.sim;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.model.DenseTransformer;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.ResolvedProfiles;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployment resolved against its profiles: the model's work, the roofline of one replica, the
 * KV capacity of one GPU, checked before the run (weights that cannot fit are an error here).
 */
public record DeploymentPlan(
    Deployment spec,
    DenseTransformer model,
    GpuProfile gpu,
    NodeProfile node,
    StackProfile stack,
    Roofline roofline,
    KvCapacity kv,
    long maxModelLen) {

  private static final double GIB = 1024.0 * 1024 * 1024;

  /** Plans deployment {@code index} of a scenario on nodes of profile {@code node}. */
  public static DeploymentPlan of(int index, Deployment d, ResolvedProfiles profiles, NodeProfile node)
      throws SetupException {
    String at = "deployments[" + index + "]";
    List<SetupException.Problem> problems = new ArrayList<>();
    var m = profiles.model(d.model());
    if (!List.of("mha", "gqa", "mqa").contains(m.attention()) || m.moe() != null) {
      problems.add(new SetupException.Problem(at + ".model", "'" + m.id() + "' uses "
          + (m.moe() != null ? "mixture of experts" : m.attention() + " attention")
          + ", which is not modelled yet; allowed now: dense models with mha, gqa or mqa attention"));
      throw new SetupException(problems);
    }
    GpuProfile gpu = profiles.gpu(node.gpu());
    StackProfile stack = profiles.stack(d.stack());
    int tp = d.parallelism().tp();
    if (tp > node.gpusPerNode()) {
      throw new SetupException(List.of(new SetupException.Problem(at + ".parallelism.tp", "is " + tp
          + " but a " + node.id() + " node has " + node.gpusPerNode()
          + " GPUs; a replica stays inside one node; allowed: 1 to " + node.gpusPerNode())));
    }
    Dtype compute = Dtype.of(d.effectiveComputeDtype());
    if (compute == Dtype.FP8 && gpu.fp8Tflops() == null) {
      throw new SetupException(List.of(new SetupException.Problem(at + ".compute_dtype",
          "is fp8 but " + gpu.id() + " has no fp8 tensor cores; allowed: bf16, fp16")));
    }
    Dtype weights = Dtype.of(d.weightsDtype());
    Dtype kvType = Dtype.of(d.kvDtype());
    DenseTransformer model = new DenseTransformer(m);
    Roofline roofline = new Roofline(model, gpu, node, stack, weights, compute, kvType, tp);

    double weightsBytes = (double) model.totalParams() * weights.bytes() / tp;
    var act = stack.activationPeak();
    double activation = d.scheduler().maxNumBatchedTokens()
        * (act.hiddenBuffers().value() * m.hidden() + act.ffnBuffers().value() * m.ffn() / tp) * 2.0
        + d.scheduler().maxNumSeqs() * (double) m.vocab() * act.logitsBytes().value();
    double reserve = stack.reserveMib().value() * 1024 * 1024;
    KvCapacity kv = KvCapacity.fromFormula(gpu.hbmBytes(), d.kv().gpuMemoryUtilization(), weightsBytes,
        activation, reserve, roofline.kvBytesPerTokenPerGpu(), d.kv().blockTokens());
    if (d.kv().numGpuBlocks() != null) {
      kv = kv.withMeasuredBlocks(d.kv().numGpuBlocks());
    } else if (kv.blocks() < 1) {
      throw new SetupException(List.of(new SetupException.Problem(at + ".model", String.format(
          java.util.Locale.ROOT,
          "'%s' does not fit on %s with tp %d: per GPU %.2f GiB of %s weights + %.2f GiB activations"
              + " + %.2f GiB reserve leave %.2f GiB of the %.2f GiB usable (%.2f × %.0f MiB) for KV;"
              + " allowed: a larger tp, fp8 weights, or a larger GPU",
          m.id(), gpu.id(), tp, weightsBytes / GIB, weights.id(), activation / GIB, reserve / GIB,
          kv.kvBudgetBytes() / GIB, kv.usableBytes() / GIB, d.kv().gpuMemoryUtilization(),
          gpu.hbmMib().value()))));
    }
    long maxLen = d.admission().maxModelLen() != null ? d.admission().maxModelLen() : m.maxContextTokens();
    return new DeploymentPlan(d, model, gpu, node, stack, roofline, kv, maxLen);
  }
}
