package dev.tokentherm.bench;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.RandomStreams;
import dev.tokentherm.engine.SplitMix64;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The classic hold model: N events pending; each operation removes the earliest and schedules one
 * new event at now + an exponential increment (mean N µs, so time advances ~1 event per µs). The
 * increments are precomputed so the generator stays out of the measured loop. Score = events/s.
 *
 * <p>{@code engine} dispatches every event through an {@link EventHandler} that schedules the next;
 * {@code jdkPriorityQueue} does the same with event objects in a {@link PriorityQueue} ordered by
 * (time, phase, key, seq).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EngineHoldBenchmark.BATCH)
public class EngineHoldBenchmark {
  static final int BATCH = 1024;
  private static final int INCREMENTS = 1 << 16;
  private static final int MASK = INCREMENTS - 1;
  private static final int PHASES = 4;

  @Param({"1000", "100000", "1000000"})
  int pending;

  private long[] increments;
  private Engine engine;
  private EngineHold engineHold;
  private JdkHold jdkHold;

  @Setup(Level.Trial)
  public void setUp() {
    increments = new long[INCREMENTS];
    SplitMix64 random = RandomStreams.stream(2024, 1, 0);
    double meanNs = 1_000.0 * pending;
    for (int i = 0; i < INCREMENTS; i++) {
      increments[i] = 1 + (long) (-meanNs * StrictMath.log(random.nextDoubleOpen()));
    }
    engine = new Engine();
    engineHold = new EngineHold(increments);
    jdkHold = new JdkHold(increments);
    for (int i = 0; i < pending; i++) {
      engineHold.onEvent(engine, i);
      jdkHold.scheduleNext(i);
    }
  }

  @Benchmark
  public long engine() {
    Engine e = engine;
    for (int i = 0; i < BATCH; i++) {
      e.step();
    }
    return e.now();
  }

  @Benchmark
  public long jdkPriorityQueue() {
    JdkHold hold = jdkHold;
    for (int i = 0; i < BATCH; i++) {
      hold.step();
    }
    return hold.now;
  }

  /** Each event schedules its successor. */
  static final class EngineHold implements EventHandler {
    private final long[] increments;
    private int cursor;

    EngineHold(long[] increments) {
      this.increments = increments;
    }

    @Override
    public void onEvent(Engine engine, long arg) {
      int c = cursor++ & MASK;
      engine.scheduleAfter(increments[c], c & (PHASES - 1), 0, this, arg);
    }
  }

  /** The same model on the JDK's binary heap of objects. */
  static final class JdkHold {
    private final long[] increments;
    private final PriorityQueue<EventObject> queue = new PriorityQueue<>();
    private final JdkHandler reschedule = JdkHold::scheduleNext; // one handler, as in the engine
    private int cursor;
    private long seq;
    long now;

    JdkHold(long[] increments) {
      this.increments = increments;
    }

    void step() {
      EventObject event = queue.poll();
      now = event.time;
      event.handler.onEvent(this, event.arg);
    }

    void scheduleNext(long arg) {
      int c = cursor++ & MASK;
      queue.add(new EventObject(now + increments[c], c & (PHASES - 1), 0, seq++, reschedule, arg));
    }
  }

  interface JdkHandler {
    void onEvent(JdkHold hold, long arg);
  }

  static final class EventObject implements Comparable<EventObject> {
    final long time;
    final int phase;
    final long key;
    final long seq;
    final JdkHandler handler;
    final long arg;

    EventObject(long time, int phase, long key, long seq, JdkHandler handler, long arg) {
      this.time = time;
      this.phase = phase;
      this.key = key;
      this.seq = seq;
      this.handler = handler;
      this.arg = arg;
    }

    @Override
    public int compareTo(EventObject other) {
      if (time != other.time) {
        return time < other.time ? -1 : 1;
      }
      if (phase != other.phase) {
        return phase < other.phase ? -1 : 1;
      }
      if (key != other.key) {
        return key < other.key ? -1 : 1;
      }
      return Long.compare(seq, other.seq);
    }
  }
}
