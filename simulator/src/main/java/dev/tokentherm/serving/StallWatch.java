package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import java.util.function.BooleanSupplier;

/**
 * Watches a replica for the two ways it can stop making progress, so that a run reports them
 * instead of waiting or spinning forever: a stall (requests wait, nothing runs, nothing could free
 * memory, for a simulated minute: the run is stopped with the report) and a preemption livelock
 * ({@value #LIVELOCK_STEPS} decode steps in a row that had to preempt: the simulation reads the flag).
 */
final class StallWatch {
  private static final long STALL_NS = 60_000_000_000L;
  /** Decode steps in a row that had to preempt before the run is declared livelocked. */
  static final int LIVELOCK_STEPS = 2_000;
  private final int index;
  private final Engine engine;
  /** Whether the replica is still stuck: requests wait and none runs. */
  private final BooleanSupplier stuck;
  private long sinceNs = -1;
  private String detail;
  private String report;
  private final EventHandler check = (engine, arg) -> check();
  private int preemptingSteps;
  private boolean livelock;

  StallWatch(int index, Engine engine, BooleanSupplier stuck) {
    this.index = index;
    this.engine = engine;
    this.stuck = stuck;
  }

  /** The head of the queue cannot be admitted and nothing can free memory: {@code why}, if it lasts. */
  void blocked(long now, String why) {
    detail = why;
    if (sinceNs < 0) {
      sinceNs = now;
      engine.schedule(now + STALL_NS, Phase.SAMPLE, index, check, 0);
    }
  }

  /** A request was admitted: no stall. */
  void progress() {
    sinceNs = -1;
  }

  private void check() {
    if (!stuck.getAsBoolean()) { // the queue timed out or work resumed: no stall
      sinceNs = -1;
      return;
    }
    if (sinceNs >= 0 && engine.now() - sinceNs >= STALL_NS && report == null) {
      report = detail;
      engine.stop();
    }
  }

  /** Why the replica stalled, or null. */
  String report() {
    return report;
  }

  /** A decode step took its blocks, having had to preempt or not. */
  void decodeStep(boolean preempted) {
    preemptingSteps = preempted ? preemptingSteps + 1 : 0;
    if (preemptingSteps >= LIVELOCK_STEPS) {
      livelock = true;
    }
  }

  boolean livelocked() {
    return livelock;
  }
}
