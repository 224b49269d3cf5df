package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

@Doc("Parallelism of one replica: GPUs = tp × pp")
public record Parallelism(
    @Default("1") @Range(min = 1) @Doc("tensor-parallel degree") int tp,
    @Default("1") @Range(min = 1) @Doc("pipeline-parallel degree (stages)") int pp,
    @Default("1") @Range(min = 1) @Doc("expert-parallel degree (MoE)") int ep)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    if (pp != 1) {
      v.error("pp", "is " + pp + "; pipeline parallelism is not modelled yet; allowed: 1");
    }
    if (ep != 1) {
      v.error("ep", "is " + ep + "; expert parallelism is not modelled yet; allowed: 1");
    }
  }

  public int gpus() {
    return tp * pp;
  }
}
