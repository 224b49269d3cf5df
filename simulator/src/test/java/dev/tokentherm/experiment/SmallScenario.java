package dev.tokentherm.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scenario that runs in a fraction of a second (10 s of arrivals on two Llama-3.1-8B replicas). */
public final class SmallScenario {
  private SmallScenario() {}

  public static final String TEXT = """
      name: small
      seed: 42
      horizon_s: 10
      max_drain_s: 60
      measure: {warmup_s: 2, end_s: 10}
      cluster:
        nodes: [{profile: dgx-h100, count: 1}]
      deployments:
        - name: chat
          model: llama-3.1-8b
          stack: vllm-v1
          replicas: 2
          parallelism: {tp: 1}
          scheduler: {policy: vllm-v1, max_num_batched_tokens: 8192, max_num_seqs: 256}
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 0.5}
            turns: {distribution: geometric, mean: 2}
            user_tokens: {distribution: lognormal, median: 200, sigma: 1.0, max: 8000}
            model_tokens: {distribution: lognormal, median: 100, sigma: 0.8, max: 1000}
            think_time_s: {distribution: exponential, mean: 5}
      slo: {ttft_ms: 2000, tpot_ms: 100, attainment: 0.9}
      """;

  public static Path write(Path dir) throws IOException {
    return Files.writeString(dir.resolve("small.yaml"), TEXT);
  }
}
