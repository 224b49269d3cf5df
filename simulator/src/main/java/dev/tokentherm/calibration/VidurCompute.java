package dev.tokentherm.calibration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Readers of the Vidur per-operator compute profiles (data/profiles/vidur_compute/, times in ms). */
public final class VidurCompute {
  static final String[] GEMMS = {"attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"};
  static final String[] ELEMENTWISE = {"input_layernorm", "attn_rope", "post_attention_layernorm", "mlp_act", "add"};

  private VidurCompute() {}

  /** Every {@code <gpu>_*_mlp.csv} in {@code folder} (e.g. gpu "h100"), files in name order. */
  public static List<LinearLayerPoint> readLinearLayers(Path folder, String gpu) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, gpu + "_*_mlp.csv")) {
      for (Path f : dir) {
        files.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    files.sort(null);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no " + gpu + "_*_mlp.csv in " + folder);
    }
    List<LinearLayerPoint> points = new ArrayList<>();
    for (Path f : files) {
      points.addAll(readLinearLayers(f));
    }
    return points;
  }

  /** One {@code *_mlp.csv} file. */
  public static List<LinearLayerPoint> readLinearLayers(Path csv) {
    String source = csv.getFileName().toString().replace("_mlp.csv", "");
    List<Map<String, String>> rows = CsvRows.read(csv);
    List<LinearLayerPoint> points = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      LayerShape shape = new LayerShape((int) CsvRows.number(r, "n_head", csv, i),
          (int) CsvRows.number(r, "n_kv_head", csv, i), (int) CsvRows.number(r, "n_embd", csv, i),
          (int) CsvRows.number(r, "n_expanded_embd", csv, i),
          Boolean.parseBoolean(r.get("use_gated_mlp")));
      double linear = 0;
      for (String op : GEMMS) {
        linear += CsvRows.number(r, "time_stats." + op + ".median", csv, i);
      }
      double elementwise = 0;
      for (String op : ELEMENTWISE) {
        elementwise += CsvRows.number(r, "time_stats." + op + ".median", csv, i);
      }
      points.add(new LinearLayerPoint(source, shape, (int) CsvRows.number(r, "num_tokens", csv, i),
          (int) CsvRows.number(r, "num_tensor_parallel_workers", csv, i), linear * 1e-3, elementwise * 1e-3));
    }
    return points;
  }
}
