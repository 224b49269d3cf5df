package dev.tokentherm.sim;

import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.serving.Replica;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches the sampled fleet for a run that cannot settle, which then stops as {@code unstable}:
 * a replica's preemption livelock; starvation — the longest wait of any request still without its
 * first token has grown minute over minute for three minutes and exceeds {@link #STARVED_WAIT_NS},
 * however short the queue; or overload — the waiting requests of the whole fleet have grown minute
 * over minute for three minutes and exceed twice the fleet's max_num_seqs, a queue that grows
 * without bound. Fed by the {@link Sampler}, once per sample.
 */
final class OverloadDetector {
  /** The oldest waiting request's age above which a wait growing minute over minute is starvation. */
  static final long STARVED_WAIT_NS = 120_000_000_000L;

  private final List<Replica> replicas;
  /** Samples per minute (at least one). */
  private final long minuteSamples;
  /** The fleet's max_num_seqs: every replica's summed. */
  private final long fleetSeqs;
  private final LongArrayList waitingByMinute = new LongArrayList();
  private final LongArrayList oldestWaitByMinute = new LongArrayList();
  private long samples;
  private String reason;

  OverloadDetector(Scenario scenario, List<Replica> replicas, long sampleIntervalNs) {
    this.replicas = replicas;
    this.minuteSamples = Math.max(1, 60_000_000_000L / sampleIntervalNs);
    long seqs = 0;
    for (Deployment d : scenario.deployments()) {
      seqs += (long) d.replicas() * d.scheduler().maxNumSeqs();
    }
    this.fleetSeqs = seqs;
  }

  /** Whether the run was found unstable (it stopped there). */
  boolean unstable() {
    return reason != null;
  }

  /** Why the run is unstable, or null. */
  String reason() {
    return reason;
  }

  /** Whether a replica's preemption made no progress (checked every sample, before anything else). */
  boolean livelocked() {
    for (Replica r : replicas) {
      if (r.livelocked()) { // preemption made no progress: report it instead of spinning
        reason = "deployment " + r.deployment() + " replica " + r.index()
            + ": preemption livelock (every decode step preempted for 2,000 steps)";
        return true;
      }
    }
    return false;
  }

  /**
   * One sample at {@code nowNs} with {@code waitingAll} requests waiting in the whole fleet: on each
   * minute's sample, whether a request is starved or the queue overloaded.
   */
  boolean overloaded(long nowNs, long waitingAll) {
    if (++samples % minuteSamples != 0) {
      return false;
    }
    long oldestWaitNs = oldestFirstTokenWaitNs(nowNs);
    oldestWaitByMinute.add(oldestWaitNs);
    if (growsMinuteOverMinute(oldestWaitByMinute) && oldestWaitNs > STARVED_WAIT_NS) {
      // a request has waited longer every minute for its first token: starved
      reason = String.format(Locale.ROOT, "starved: the longest wait for a first token grew"
          + " minute over minute for three minutes, to %.0f s", oldestWaitNs * 1e-9);
      return true;
    }
    waitingByMinute.add(waitingAll);
    if (waitingAll > 2 * fleetSeqs && growsMinuteOverMinute(waitingByMinute)) {
      reason = "overloaded: the waiting requests grew minute over minute for three minutes, to "
          + waitingAll + " (more than twice the fleet's max_num_seqs, " + fleetSeqs + ")";
      return true;
    }
    return false;
  }

  /** The longest wait of any request still without its first token, ns (0 if none). */
  private long oldestFirstTokenWaitNs(long nowNs) {
    long oldest = 0;
    for (Replica r : replicas) {
      long since = r.oldestUnservedArrivalNs();
      if (since >= 0) {
        oldest = Math.max(oldest, nowNs - since);
      }
    }
    return oldest;
  }

  /** The last four minute samples rise strictly (three minutes of growth). */
  static boolean growsMinuteOverMinute(LongArrayList byMinute) {
    int n = byMinute.size();
    return n >= 4 && byMinute.getLong(n - 1) > byMinute.getLong(n - 2) && byMinute.getLong(n - 2) > byMinute.getLong(n - 3)
        && byMinute.getLong(n - 3) > byMinute.getLong(n - 4);
  }
}
