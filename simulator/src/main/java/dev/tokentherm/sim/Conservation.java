package dev.tokentherm.sim;

import dev.tokentherm.metrics.RunMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run-time conservation checks of {@code tokentherm run --check}: energy attributed to requests
 * + idle shares + unattributed = energy integrated per GPU (1e-9 relative), KV blocks allocated =
 * freed + live, requests arrived = completed + rejected + timed out + unfinished.
 */
public final class Conservation {
  private Conservation() {}

  /** The broken laws, one line each (empty when all hold). */
  public static List<String> violations(RunResult r) {
    List<String> out = new ArrayList<>();
    RunMetrics m = r.metrics();
    double total = r.totalGpuEnergyJ();
    double attributed = m.activeJ + m.idleSharesJ + r.idleUnattributedJ();
    if (Math.abs(attributed - total) > 1e-9 * Math.max(1, total)) {
      out.add(String.format(Locale.ROOT, "energy: attributed %.6f J (active %.6f + idle shares %.6f + unattributed %.6f)"
          + " != integrated %.6f J", attributed, m.activeJ, m.idleSharesJ, r.idleUnattributedJ(), total));
    }
    if (r.kvBlocksAllocated() != r.kvBlocksFreed() + r.kvBlocksLive()) {
      out.add("kv: blocks allocated " + r.kvBlocksAllocated() + " != freed " + r.kvBlocksFreed() + " + live "
          + r.kvBlocksLive());
    }
    if (m.unfinished() < 0) {
      out.add("requests: completed " + m.completed + " + rejected " + m.rejected + " + timed out " + m.timedOut
          + " exceed arrived " + m.arrived);
    }
    return out;
  }
}
