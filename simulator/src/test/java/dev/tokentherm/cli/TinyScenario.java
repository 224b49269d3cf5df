package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small valid scenario in the shape of scenarios/quickstart.yaml (20 s of arrivals at 0.5 per
 * second on two Llama-3.1-8B replicas): a run takes well under a second. Bad-input tests change
 * one line of it; the line numbers in their expected messages refer to this text.
 */
final class TinyScenario {
  private TinyScenario() {}

  static final String TEXT = """
      name: tiny
      seed: 42
      horizon_s: 20
      max_drain_s: 60
      cluster:
        nodes: [{profile: dgx-h100, count: 1}]
      deployments:
        - name: chat
          model: llama-3.1-8b
          stack: vllm-v1
          weights_dtype: bf16
          kv_dtype: bf16
          replicas: 2
          parallelism: {tp: 1}
          scheduler: {policy: vllm-v1, max_num_batched_tokens: 8192, max_num_seqs: 256}
          kv: {block_tokens: 16, gpu_memory_utilization: 0.9}
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 0.5}
            turns: {distribution: geometric, mean: 4}
            user_tokens: {distribution: lognormal, median: 200, sigma: 1.0, max: 8000}
            model_tokens: {distribution: lognormal, median: 150, sigma: 0.8, max: 2000}
            think_time_s: {distribution: exponential, mean: 20}
      slo: {ttft_ms: 2000, tpot_ms: 100, attainment: 0.9}
      """;

  /** The scenario with {@code from} (which must occur exactly once) replaced by {@code to}. */
  static String changed(String from, String to) {
    return changed(TEXT, from, to);
  }

  static String changed(String text, String from, String to) {
    int at = text.indexOf(from);
    assertThat(at).as("'%s' occurs in the scenario", from).isNotNegative();
    assertThat(text.indexOf(from, at + 1)).as("'%s' occurs once", from).isNegative();
    return text.replace(from, to);
  }

  /** Writes {@code text} to {@code dir/name} and returns the file. */
  static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
