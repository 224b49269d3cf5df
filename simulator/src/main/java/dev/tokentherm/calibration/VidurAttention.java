package dev.tokentherm.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reader of the Vidur attention profile ({@code a100_attention_*.csv}, times in ms). */
public final class VidurAttention {
  private VidurAttention() {}

  /** Every row, prefill and decode, in file order. */
  public static List<AttentionPoint> read(Path csv) {
    List<Map<String, String>> rows = CsvRows.read(csv);
    List<AttentionPoint> points = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      boolean prefill = Boolean.parseBoolean(r.get("is_prefill"));
      double tp = CsvRows.number(r, "num_tensor_parallel_workers", csv, i);
      double heads = CsvRows.number(r, "n_q_head", csv, i);
      double headDim = CsvRows.number(r, "n_embd", csv, i) / heads;
      double measuredMs = CsvRows.number(r, prefill ? "time_stats.attn_prefill.median" : "time_stats.attn_decode.median", csv, i);
      points.add(new AttentionPoint(prefill, (int) CsvRows.number(r, "batch_size", csv, i),
          (int) CsvRows.number(r, "prefill_chunk_size", csv, i), (int) CsvRows.number(r, "kv_cache_size", csv, i),
          heads / tp, CsvRows.number(r, "n_kv_head", csv, i) / tp, headDim, measuredMs * 1e-3));
    }
    return points;
  }
}
