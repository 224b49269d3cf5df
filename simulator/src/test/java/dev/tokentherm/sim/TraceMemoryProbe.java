package dev.tokentherm.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * Replays a scenario in this JVM and prints the requests completed, the peak heap in use (summed
 * over the heap pools' peaks, MiB) and the wall time: run in a JVM of its own with a small -Xmx
 * by {@link TraceMemoryTest}.
 */
public final class TraceMemoryProbe {
  private TraceMemoryProbe() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    SimTestSupport.Loaded loaded = SimTestSupport.file(args[0]);
    RunResult result;
    try {
      result = Simulation.run(loaded.scenario(), loaded.profiles(), dev.tokentherm.metrics.RunSinks.turnsOnly(
          dev.tokentherm.metrics.TurnSink.NONE), Progress.NONE, loaded.baseDir());
    } catch (SetupException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    double wallS = (System.nanoTime() - start) * 1e-9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "completed %d conversations %d peak_heap_mib %.1f max_heap_mib %.1f wall_s %.1f%n",
        result.metrics().counters().runRequestsCompleted(), result.metrics().counters().conversationsEnded(),
        peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, wallS);
  }
}
