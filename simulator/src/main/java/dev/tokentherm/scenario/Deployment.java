package dev.tokentherm.scenario;

import dev.tokentherm.model.AttentionSpec;
import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("One model served by identical replicas")
public record Deployment(
    @Required @Doc("name that workloads target") String name,
    @Required @Doc("model profile id (hardware-profiles/models/<id>.yaml)") String model,
    @Default("vllm-v1") @Doc("serving-stack profile id (hardware-profiles/stacks/<id>.yaml)") String stack,
    @Default("bf16") @OneOf({"bf16", "fp16", "fp8"}) @Doc("weight storage type") String weightsDtype,
    @OneOf({"bf16", "fp16", "fp8"}) @Doc("matmul type: fp8 weights run W8A8 (fp8) or W8A16 (bf16); default: bf16") String computeDtype,
    @Default("bf16") @OneOf({"bf16", "fp16", "fp8"}) @Doc("KV-cache element type") String kvDtype,
    @Default("1") @Range(min = 1) @Doc("number of replicas (at most 10,000 over all deployments)") int replicas,
    @Default("{}") @Doc("parallelism of one replica") Parallelism parallelism,
    @Default("{}") @Doc("batch scheduler") SchedulerSpec scheduler,
    @Default("{}") @Doc("KV cache") KvSpec kv,
    @Default("{}") @Doc("admission limits") AdmissionSpec admission,
    @Default("{}") @Doc("how conversations are spread over replicas") RouterSpec router,
    @Doc("override of the model's attention (variant and parameters)") AttentionSpec attention,
    @Default("{}") @Doc("SM clock policy and power cap per GPU") PowerSpec power) {

  /** The matmul element type, defaulting to bf16 (W8A16 for fp8 weights). */
  public String effectiveComputeDtype() {
    return computeDtype == null ? "bf16" : computeDtype;
  }
}
