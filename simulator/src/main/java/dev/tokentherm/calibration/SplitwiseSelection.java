package dev.tokentherm.calibration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The Splitwise measurements sorted into {@link SplitwiseGroup}s, and the ones left out with the
 * reason. Every CSV row gives two measurements (its prefill and its decode iteration); repeated
 * rows are kept, they are repeated measurements.
 */
public record SplitwiseSelection(Map<SplitwiseGroup, List<SplitwisePoint>> groups, List<Excluded> excluded) {
  /** A measurement that is not compared, and why. */
  public record Excluded(SplitwisePoint point, String reason) {}

  /** The power-capped H100 rows: prompt_time ≈ 1.30 × the H100 row's, token_time identical (data/traces/README.md). */
  static final String PCAP_HARDWARE = "h100-80gb-pcap";
  static final String PCAP_REASON = "synthetic power-capped row (h100-80gb-pcap: prompt_time ~1.30 x the h100-80gb row, same token_time)";
  static final String IMPOSSIBLE_REASON = "impossible: TP2 batch-64 prefill of 64 x 512 tokens measured ~7x faster than batch 32";

  public static SplitwiseSelection of(List<SplitwiseRow> rows) {
    Map<SplitwiseGroup, List<SplitwisePoint>> groups = new EnumMap<>(SplitwiseGroup.class);
    for (SplitwiseGroup g : SplitwiseGroup.values()) {
      groups.put(g, new ArrayList<>());
    }
    List<Excluded> excluded = new ArrayList<>();
    for (SplitwiseRow row : rows) {
      for (SplitwisePoint.Kind kind : SplitwisePoint.Kind.values()) {
        SplitwisePoint p = new SplitwisePoint(row, kind);
        String reason = exclusion(p);
        if (reason != null) {
          excluded.add(new Excluded(p, reason));
        } else {
          SplitwiseCalibration.checkKnown(row);
          groups.get(SplitwiseGroup.of(row)).add(p);
        }
      }
    }
    for (Map.Entry<SplitwiseGroup, List<SplitwisePoint>> e : groups.entrySet()) {
      e.setValue(Collections.unmodifiableList(e.getValue()));
    }
    return new SplitwiseSelection(Collections.unmodifiableMap(groups), List.copyOf(excluded));
  }

  /** Why a measurement is left out, or null when it is compared. */
  static String exclusion(SplitwisePoint p) {
    SplitwiseRow r = p.row();
    if (r.hardware().equals(PCAP_HARDWARE)) {
      return PCAP_REASON;
    }
    if (p.kind() == SplitwisePoint.Kind.PREFILL && r.tensorParallel() == 2 && r.batchSize() == 64) {
      return IMPOSSIBLE_REASON;
    }
    return null;
  }

  public List<SplitwisePoint> group(SplitwiseGroup g) {
    return groups.get(g);
  }
}
