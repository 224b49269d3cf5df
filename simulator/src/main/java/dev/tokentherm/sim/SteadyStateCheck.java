package dev.tokentherm.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the measurement window saw a system in steady state, from the samples of the run: the
 * window's arrival and completion rates, and the mean waiting requests, KV occupancy and eviction
 * rate of its first third against its last third. A window fails the check when completions fall
 * more than 5 % behind arrivals (work accumulates), the queue grows (last third above 1.5 × the
 * first + 1 request), the KV fills (occupancy up by more than 5 points), or evictions speed up
 * (last third above 1.5 × the first + 1 block/s): each a sign that the population of cached
 * conversations, or the queue, is still growing, so rates measured there would not hold later.
 *
 * <p>Memory is bounded: at most {@link #MAX_POINTS} samples are kept, every other one dropped
 * (and the stride doubled) when full.
 */
final class SteadyStateCheck {
  static final int MAX_POINTS = 4096;
  /** Fewer samples than this in the window: too short to tell. */
  private static final int MIN_POINTS = 6;

  private long[] timeNs = new long[MAX_POINTS];
  private double[] waiting = new double[MAX_POINTS];
  private double[] kvOccupancy = new double[MAX_POINTS];
  private long[] evictedBlocks = new long[MAX_POINTS];
  private long[] arrived = new long[MAX_POINTS];
  private long[] completed = new long[MAX_POINTS];
  private int n;
  private long stride = 1;
  private long seen;

  /** One sample: the fleet's waiting requests, KV blocks used and held, and cumulative counts. */
  void sample(long nowNs, long waitingRequests, long kvUsed, long kvBlocks, long evictedTotal, long arrivedTotal,
      long completedTotal) {
    if (seen++ % stride != 0) {
      return;
    }
    if (n == MAX_POINTS) {
      for (int i = 0; i < MAX_POINTS / 2; i++) {
        timeNs[i] = timeNs[2 * i];
        waiting[i] = waiting[2 * i];
        kvOccupancy[i] = kvOccupancy[2 * i];
        evictedBlocks[i] = evictedBlocks[2 * i];
        arrived[i] = arrived[2 * i];
        completed[i] = completed[2 * i];
      }
      n = MAX_POINTS / 2;
      stride *= 2;
    }
    timeNs[n] = nowNs;
    waiting[n] = waitingRequests;
    kvOccupancy[n] = kvBlocks > 0 ? (double) kvUsed / kvBlocks : 0;
    evictedBlocks[n] = evictedTotal;
    arrived[n] = arrivedTotal;
    completed[n] = completedTotal;
    n++;
  }

  /** The verdict over [startNs, endNs). */
  Verdict verdict(long startNs, long endNs) {
    long third = (endNs - startNs) / 3;
    int lo = -1;
    int hi = -1;
    double waitFirst = 0;
    double waitLast = 0;
    double kvFirst = 0;
    double kvLast = 0;
    int first = 0;
    int last = 0;
    int firstEnd = -1;
    int lastStart = -1;
    for (int i = 0; i < n; i++) {
      long t = timeNs[i];
      if (t < startNs || t >= endNs) {
        continue;
      }
      lo = lo < 0 ? i : lo;
      hi = i;
      if (t < startNs + third) {
        waitFirst += waiting[i];
        kvFirst += kvOccupancy[i];
        first++;
        firstEnd = i;
      } else if (t >= endNs - third) {
        waitLast += waiting[i];
        kvLast += kvOccupancy[i];
        last++;
        lastStart = lastStart < 0 ? i : lastStart;
      }
    }
    List<String> reasons = new ArrayList<>();
    if (lo < 0 || hi - lo + 1 < MIN_POINTS || first == 0 || last == 0) {
      reasons.add("fewer than " + MIN_POINTS + " samples in the window: too short to tell (lengthen the window or"
          + " shorten outputs.sample_interval_s)");
      return new Verdict(false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, reasons);
    }
    double spanS = (timeNs[hi] - timeNs[lo]) * 1e-9;
    double arrivalRate = (arrived[hi] - arrived[lo]) / spanS;
    double completionRate = (completed[hi] - completed[lo]) / spanS;
    waitFirst /= first;
    waitLast /= last;
    kvFirst /= first;
    kvLast /= last;
    double evictFirst = rate(evictedBlocks, lo, firstEnd);
    double evictLast = rate(evictedBlocks, lastStart, hi);
    if (arrived[hi] - arrived[lo] >= 20 && completionRate < 0.95 * arrivalRate) {
      reasons.add(String.format(Locale.ROOT, "completions %.3f/s fall behind arrivals %.3f/s", completionRate,
          arrivalRate));
    }
    if (waitLast > 1.5 * waitFirst + 1) {
      reasons.add(String.format(Locale.ROOT, "the queue grew from %.1f to %.1f waiting requests", waitFirst, waitLast));
    }
    if (kvLast - kvFirst > 0.05) {
      reasons.add(String.format(Locale.ROOT, "KV occupancy rose from %.3f to %.3f", kvFirst, kvLast));
    }
    if (evictLast > 1.5 * evictFirst + 1) {
      reasons.add(String.format(Locale.ROOT, "evictions sped up from %.1f to %.1f blocks/s", evictFirst, evictLast));
    }
    return new Verdict(reasons.isEmpty(), arrivalRate, completionRate, waitFirst, waitLast, kvFirst, kvLast,
        evictFirst, evictLast, reasons);
  }

  private double rate(long[] cumulative, int from, int to) {
    if (from < 0 || to <= from) {
      return 0;
    }
    return (cumulative[to] - cumulative[from]) / ((timeNs[to] - timeNs[from]) * 1e-9);
  }

  /** The check's numbers and, when it fails, why (one phrase per failed test). */
  record Verdict(boolean steady, double arrivalRatePerS, double completionRatePerS, double waitingFirst,
      double waitingLast, double kvOccupancyFirst, double kvOccupancyLast, double evictedBlocksPerSFirst,
      double evictedBlocksPerSLast, List<String> reasons) {}
}
