package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

@Doc("Parallelism of one replica: GPUs = tp × pp; each stage's tp GPUs sit in one node; data parallelism = replicas")
public record Parallelism(
    @Default("1") @Range(min = 1, max = Limits.MAX_PARALLEL_DEGREE) @Doc("tensor-parallel degree (inside a node)") int tp,
    @Default("1") @Range(min = 1, max = Limits.MAX_PARALLEL_DEGREE) @Doc("pipeline-parallel degree (stages, may span nodes)") int pp,
    @Default("1") @Range(min = 1, max = Limits.MAX_PARALLEL_DEGREE) @Doc("expert-parallel degree of MoE layers: 1 (experts split by TP) or tp (whole experts over the TP group)") int ep,
    @Default("1") @Range(min = 1, max = Limits.MAX_PARALLEL_DEGREE) @Doc("micro-batches a batch is split into through the pipeline stages (pp > 1): m + pp − 1 stage times, each re-reading the stage's weights") int microBatches)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    if (ep != 1 && ep != tp) {
      v.error("ep", "is " + ep + " with tp " + tp + "; experts are spread over the TP group; allowed: 1 or " + tp);
    }
  }

  public int gpus() {
    return tp * pp;
  }
}
