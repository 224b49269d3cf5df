package dev.tokentherm.engine;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event engine with a {@code long} nanosecond clock.
 *
 * <p>Events run in the order (time, phase, key, seq):
 *
 * <ul>
 *   <li>{@code time}: nanoseconds, in [0, {@link #MAX_TIME}] (about 4.5 years);
 *   <li>{@code phase}: what happens first at one instant, in [{@link Phase#MIN}, {@link
 *       Phase#MAX}]; nothing may be scheduled into a phase earlier than the one executing at the
 *       current instant;
 *   <li>{@code key}: explicit order inside a phase (entity id, arrival number), in [0, {@link
 *       #MAX_KEY}]; pass 0 when order does not matter;
 *   <li>{@code seq}: scheduling order (FIFO) for everything else; with a shuffle seed, ties of
 *       equal (time, phase, key) are instead ordered by a seeded permutation of the scheduling
 *       order, to reveal code that depends on an order nobody chose.
 * </ul>
 *
 * <p>A newly scheduled event at the current instant and phase runs after the current event, even
 * when its key is smaller. Scheduling, cancelling and dispatching allocate nothing once the arrays
 * have grown to the peak number of pending events. Single-threaded, and re-entrant only through
 * scheduling and cancelling from inside handlers.
 */
public final class Engine {
  public static final long MAX_TIME = EventQueue.MAX_TIME;
  public static final long MAX_KEY = EventQueue.MAX_KEY;
  /** A handle that is never pending: a convenient "no event" value for callers' fields. */
  public static final long NO_HANDLE = -1L;

  private final EventQueue queue = new EventQueue();
  private final boolean shuffleTies;
  private final long shuffleSalt;
  private final long shuffleTweak;

  private long now;
  private int currentPhase;
  private long nextSeq;
  private long eventsProcessed;
  private boolean stopRequested;
  private boolean inHandler; // guards against run/step from inside a handler

  /** Ties of equal (time, phase, key) run in scheduling order. */
  public Engine() {
    this.shuffleTies = false;
    this.shuffleSalt = 0;
    this.shuffleTweak = 0;
  }

  /**
   * Debug mode: ties of equal (time, phase, key) run in an order that is shuffled, the same way
   * for the same seed. A model whose results change under this mode depends on an accident.
   */
  public Engine(long shuffleSeed) {
    SplitMix64 random = RandomStreams.stream(shuffleSeed, StreamFamily.TIE_SHUFFLE, 0);
    this.shuffleTies = true;
    this.shuffleSalt = random.nextLong();
    this.shuffleTweak = random.nextLong();
  }

  public long now() {
    return now;
  }

  /** The phase executing (or last executed) at {@link #now()}; 0 once the clock has moved on. */
  public int currentPhase() {
    return currentPhase;
  }

  /**
   * Schedules {@code handler.onEvent(engine, arg)} at {@code timeNs}. Returns a handle for {@link
   * #cancel} and {@link #isPending}.
   *
   * @throws IllegalArgumentException if the time is before now or after {@link #MAX_TIME}, or the
   *     phase or key is out of range
   * @throws IllegalStateException if the time is now and the phase is earlier than the current one
   */
  public long schedule(long timeNs, int phase, long key, EventHandler handler, long arg) {
    if (timeNs > MAX_TIME || (phase & ~EventQueue.PHASE_MASK) != 0 || (key & ~MAX_KEY) != 0) {
      throw outOfRange(timeNs, phase, key);
    }
    if (timeNs <= now) {
      checkNotBehind(timeNs, phase);
    }
    Objects.requireNonNull(handler, "handler");
    long seq = nextSeq++;
    if (shuffleTies) {
      seq = SplitMix64.mix64(seq + shuffleSalt) ^ shuffleTweak; // a bijection: still unique
    }
    return queue.add(EventQueue.primary(timeNs, phase), key, seq, handler, arg);
  }

  /** Schedules at {@code now() + delayNs}; see {@link #schedule}. */
  public long scheduleAfter(long delayNs, int phase, long key, EventHandler handler, long arg) {
    if (delayNs < 0 || delayNs > MAX_TIME - now) {
      throw new IllegalArgumentException(
          "delay must be in [0, " + (MAX_TIME - now) + "] ns at now=" + now + ", was " + delayNs);
    }
    return schedule(now + delayNs, phase, key, handler, arg);
  }

  /**
   * Cancels a pending event in O(1). Returns false, and changes nothing, for a handle whose event
   * already ran or was cancelled, or that never existed.
   */
  public boolean cancel(long handle) {
    return queue.cancel(handle);
  }

  public boolean isPending(long handle) {
    return queue.isLive(handle);
  }

  /** Number of pending (not cancelled) events. */
  public int pending() {
    return queue.live();
  }

  public long eventsProcessed() {
    return eventsProcessed;
  }

  /** Time of the earliest pending event, or -1 when none is pending. */
  public long nextEventTime() {
    long primary = queue.peekPrimary();
    return primary < 0 ? -1 : EventQueue.time(primary);
  }

  /** Runs events until none is left or a handler calls {@link #stop()}. */
  public void run() {
    enterRun();
    while (!stopRequested && step()) {
      // step does the work
    }
  }

  /**
   * Runs the events with time &lt;= {@code timeNs}, then moves the clock to {@code timeNs}. If a
   * handler calls {@link #stop()}, returns at once and leaves the clock at that event.
   */
  public void runUntil(long timeNs) {
    if (timeNs < now || timeNs > MAX_TIME) {
      throw new IllegalArgumentException(
          "runUntil time must be in [now=" + now + ", " + MAX_TIME + "] ns, was " + timeNs);
    }
    enterRun();
    long limit = EventQueue.primary(timeNs, Phase.MAX);
    while (!stopRequested) {
      long primary = queue.peekPrimary();
      if (primary < 0 || primary > limit) {
        break;
      }
      step();
    }
    if (!stopRequested && timeNs > now) {
      now = timeNs;
      currentPhase = 0;
    }
  }

  /** Runs events while {@code condition} holds, checking it before each event. */
  public void runWhile(BooleanSupplier condition) {
    enterRun();
    while (!stopRequested && condition.getAsBoolean() && step()) {
      // step does the work
    }
  }

  /** From inside a handler: the running loop returns after the current event. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Runs the single earliest event, if any; returns whether one ran. For drivers that interleave
   * the engine with other work; must not be called from inside a handler.
   */
  public boolean step() {
    if (inHandler) {
      throw new IllegalStateException("step or run called from inside a handler");
    }
    EventHandler handler = queue.pollLive();
    if (handler == null) {
      return false;
    }
    long primary = queue.polledPrimary;
    now = EventQueue.time(primary);
    currentPhase = EventQueue.phase(primary);
    eventsProcessed++;
    inHandler = true;
    try {
      handler.onEvent(this, queue.polledArg);
    } finally {
      inHandler = false;
    }
    return true;
  }

  /** Nodes the queue holds, cancelled ones included: lets tests check that they do not pile up. */
  int heldNodes() {
    return queue.heldNodes();
  }

  /** High-water mark of slots: lets tests check that slots of cancelled events are reused. */
  int slotsEverUsed() {
    return queue.slotsEverUsed();
  }

  private void enterRun() {
    if (inHandler) {
      throw new IllegalStateException("run called from inside a handler");
    }
    stopRequested = false;
  }

  private void checkNotBehind(long timeNs, int phase) {
    if (timeNs < now) {
      throw new IllegalArgumentException(
          "cannot schedule in the past: time " + timeNs + " ns < now " + now + " ns");
    }
    if (phase < currentPhase) {
      throw new IllegalStateException(
          "cannot schedule into phase " + phase + " at now=" + now
              + " ns: phase " + currentPhase + " is already executing");
    }
  }

  private static IllegalArgumentException outOfRange(long timeNs, int phase, long key) {
    return new IllegalArgumentException(
        "event out of range: time " + timeNs + " ns (max " + MAX_TIME + "), phase " + phase
            + " (0.." + Phase.MAX + "), key " + key + " (0.." + MAX_KEY + ")");
  }
}
