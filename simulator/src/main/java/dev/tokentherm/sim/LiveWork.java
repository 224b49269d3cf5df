package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;

/**
 * The run's count of live work: conversations in progress, and sources (open-loop starters,
 * traces, probe sequences, closed-loop users waiting to start) that will start more. The run ends
 * when it reaches zero: the engine stops at that instant, which is the run's end.
 */
final class LiveWork {
  private final Engine engine;
  private long count;
  /** When the last piece of work ended (no work left), ns. */
  private long finishedAtNs;

  LiveWork(Engine engine) {
    this.engine = engine;
  }

  /** One more piece of live work. */
  void add() {
    count++;
  }

  /** One piece of work is done: the last one stops the engine and marks the run's end. */
  void done() {
    count--;
    if (count == 0) {
      finishedAtNs = engine.now();
      engine.stop();
    }
  }

  /** Takes back an {@link #add} at setup whose work never began (the engine is not stopped). */
  void withdraw() {
    count--;
  }

  boolean any() {
    return count > 0;
  }

  boolean none() {
    return count == 0;
  }

  /** When the last piece of work ended, ns (0 if none ever began). */
  long finishedAtNs() {
    return finishedAtNs;
  }
}
