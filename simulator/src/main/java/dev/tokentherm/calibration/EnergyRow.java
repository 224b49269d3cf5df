package dev.tokentherm.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of an ML.ENERGY v3 task file (data/profiles/ml_energy_v3/README.md): vLLM serving a
 * model at a fixed max_num_seqs in steady state, with its measured mean power (of all the
 * deployment's GPUs; {@link #wattsPerGpu} divides by num_gpus), median inter-token latency and
 * throughput.
 */
public record EnergyRow(String task, int index, String modelId, String precision, String architecture, String gpu,
    int gpus, int tensorParallel, int expertParallel, double batch, double outputLen, double wattsPerGpu,
    double medianItlMs, double tokensPerS, double joulesPerToken) {

  /** The rows of one task file, in file order. */
  public static List<EnergyRow> read(Path json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
    }
    JsonNode configs = root.get("configurations");
    if (configs == null || !configs.isArray()) {
      throw new IllegalArgumentException(json + ": no 'configurations' array; an ML.ENERGY v3 task file has one");
    }
    String task = root.path("task").asText(json.getFileName().toString());
    List<EnergyRow> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode c : configs) {
      i++;
      int gpus = integer(c, "num_gpus", json, i);
      rows.add(new EnergyRow(task, i, text(c, "model_id", json, i), text(c, "weight_precision", json, i),
          text(c, "architecture", json, i), text(c, "gpu_model", json, i), gpus, integer(c, "tensor_parallel", json, i),
          integer(c, "expert_parallel", json, i), number(c, "avg_batch_size", json, i),
          number(c, "avg_output_len", json, i), number(c, "avg_power_watts", json, i) / gpus,
          number(c, "median_itl_ms", json, i), number(c, "output_throughput_tokens_per_sec", json, i),
          number(c, "energy_per_token_joules", json, i)));
    }
    return rows;
  }

  /** e.g. {@code gpqa#62 Qwen3-8B H100 tp1 b8.0}. */
  public String label() {
    String name = modelId.substring(modelId.indexOf('/') + 1);
    return String.format(Locale.ROOT, "%s#%d %s %s tp%d%s b%.1f", task, index, name, gpu, tensorParallel,
        expertParallel > 1 ? " ep" + expertParallel : "", batch);
  }

  private static JsonNode field(JsonNode c, String name, Path json, int i) {
    JsonNode v = c.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(json + " configuration " + i + ": no " + name);
    }
    return v;
  }

  private static String text(JsonNode c, String name, Path json, int i) {
    return field(c, name, json, i).asText();
  }

  private static double number(JsonNode c, String name, Path json, int i) {
    JsonNode v = field(c, name, json, i);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(json + " configuration " + i + ": " + name + " is not a number");
    }
    return v.asDouble();
  }

  private static int integer(JsonNode c, String name, Path json, int i) {
    double v = number(c, name, json, i);
    if (v < 1 || v != Math.rint(v)) {
      throw new IllegalArgumentException(json + " configuration " + i + ": " + name + " is not a positive whole number");
    }
    return (int) v;
  }
}
