package dev.tokentherm.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reader of the Vidur network profiles ({@code <gpu>_dgx_{all_reduce,send_recv}.csv}; times in ms, sizes in bytes). */
public final class VidurNetwork {
  private VidurNetwork() {}

  public static List<CollectivePoint> read(Path csv) {
    List<Map<String, String>> rows = CsvRows.read(csv);
    List<CollectivePoint> points = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      String collective = r.get("collective");
      if (collective == null || collective.isBlank()) {
        throw new IllegalArgumentException(csv + " row " + (i + 1) + ": column collective is empty or missing");
      }
      points.add(new CollectivePoint(collective, (int) CsvRows.number(r, "num_workers", csv, i),
          (int) CsvRows.number(r, "devices_per_node", csv, i), (long) CsvRows.number(r, "size", csv, i),
          CsvRows.number(r, "time_stats." + collective + ".median", csv, i) * 1e-3));
    }
    return points;
  }

  /** The points of one configuration: {@code gpus} GPUs, all in one node. */
  public static List<CollectivePoint> singleNode(List<CollectivePoint> points, int gpus) {
    List<CollectivePoint> out = new ArrayList<>();
    for (CollectivePoint p : points) {
      if (p.gpus() == gpus && p.singleNode()) {
        out.add(p);
      }
    }
    return out;
  }
}
