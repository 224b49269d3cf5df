package dev.tokentherm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine against a reference: a {@link PriorityQueue} of event objects ordered by (time,
 * phase, key, seq), driven by the same random streams of schedule, cancel and pop operations.
 */
class EngineOrderPropertyTest {

  /** CANCEL picks any handle ever issued (often stale); CANCEL_LIVE picks a pending one. */
  enum Kind { SCHEDULE, CANCEL, CANCEL_LIVE, POP }

  /** One operation: delay, phase and key serve schedules; pick serves cancels. */
  record Op(Kind kind, long delay, int phase, long key, int pick) {}

  record ModelEvent(long time, int phase, long key, long seq, long id) {}

  static final Comparator<ModelEvent> ORDER =
      Comparator.comparingLong(ModelEvent::time)
          .thenComparingInt(ModelEvent::phase)
          .thenComparingLong(ModelEvent::key)
          .thenComparingLong(ModelEvent::seq);

  @Property(tries = 300)
  void tieHeavyStreamsPopInReferenceOrder(@ForAll("tieHeavy") List<Op> ops) {
    replayAgainstReference(ops);
  }

  @Property(tries = 200)
  void wideStreamsPopInReferenceOrder(@ForAll("wide") List<Op> ops) {
    replayAgainstReference(ops);
  }

  @Property(tries = 200)
  void cancelHeavyStreamsPopInReferenceOrder(@ForAll("cancelHeavy") List<Op> ops) {
    replayAgainstReference(ops);
  }

  /** Shuffle mode keeps the (time, phase, key) sequence and the set of events; only ties move. */
  @Property(tries = 200)
  void shuffleModeOnlyReordersExactTies(@ForAll("tieHeavyWithoutCancel") List<Op> ops) {
    List<long[]> fifo = replayPopsOnly(new Engine(), ops);
    List<long[]> shuffled = replayPopsOnly(new Engine(12345), ops);
    assertThat(shuffled).hasSameSizeAs(fifo);
    for (int i = 0; i < fifo.size(); i++) {
      // (time, phase, key) at each position agree; the id (index 3) may differ
      assertThat(new long[] {shuffled.get(i)[0], shuffled.get(i)[1], shuffled.get(i)[2]})
          .containsExactly(fifo.get(i)[0], fifo.get(i)[1], fifo.get(i)[2]);
    }
    assertThat(shuffled.stream().mapToLong(e -> e[3]).sorted().toArray())
        .containsExactly(fifo.stream().mapToLong(e -> e[3]).sorted().toArray());
  }

  @Provide
  Arbitrary<List<Op>> tieHeavy() {
    return ops(Arbitraries.longs().between(0, 2), Arbitraries.integers().between(0, 2),
        Arbitraries.longs().between(0, 2), 5, 1, 1, 3);
  }

  @Provide
  Arbitrary<List<Op>> tieHeavyWithoutCancel() {
    return ops(Arbitraries.longs().between(0, 2), Arbitraries.integers().between(0, 2),
        Arbitraries.longs().between(0, 2), 5, 0, 0, 3);
  }

  @Provide
  Arbitrary<List<Op>> wide() {
    return ops(Arbitraries.longs().between(0, 1_000_000_000_000L),
        Arbitraries.integers().between(0, Phase.MAX),
        Arbitraries.longs().between(0, Engine.MAX_KEY),
        5, 1, 1, 3);
  }

  /** Enough live cancels that dead entries outnumber live ones and the queue compacts itself. */
  @Provide
  Arbitrary<List<Op>> cancelHeavy() {
    return ops(Arbitraries.longs().between(0, 1_000), Arbitraries.integers().between(0, 3),
        Arbitraries.longs().between(0, 3), 8, 1, 5, 1);
  }

  private static Arbitrary<List<Op>> ops(Arbitrary<Long> delays, Arbitrary<Integer> phases,
      Arbitrary<Long> keys, int scheduleWeight, int cancelWeight, int cancelLiveWeight,
      int popWeight) {
    int cancels = scheduleWeight + cancelWeight;
    int liveCancels = cancels + cancelLiveWeight;
    Arbitrary<Kind> kind = Arbitraries.integers()
        .between(0, liveCancels + popWeight - 1)
        .map(w -> w < scheduleWeight ? Kind.SCHEDULE
            : w < cancels ? Kind.CANCEL
            : w < liveCancels ? Kind.CANCEL_LIVE : Kind.POP);
    Arbitrary<Op> op = Combinators.combine(kind, delays, phases, keys,
        Arbitraries.integers().between(0, Integer.MAX_VALUE)).as(Op::new);
    return op.list().ofMinSize(0).ofMaxSize(400);
  }

  /** Replays ops on the engine and the reference, checking every observable step, then drains. */
  private static void replayAgainstReference(List<Op> ops) {
    Engine engine = new Engine();
    List<Long> fired = new ArrayList<>();
    EventHandler record = (e, arg) -> fired.add(arg);
    PriorityQueue<ModelEvent> reference = new PriorityQueue<>(ORDER);
    Map<Long, ModelEvent> liveById = new HashMap<>();
    List<Long> liveIds = new ArrayList<>(); // indexable, for CANCEL_LIVE
    List<Long> handles = new ArrayList<>();
    long modelNow = 0;
    int modelPhase = 0;
    long seq = 0;

    for (Op op : ops) {
      switch (op.kind()) {
        case SCHEDULE -> {
          long time = modelNow + op.delay();
          int phase = time == modelNow ? Math.max(op.phase(), modelPhase) : op.phase();
          long id = handles.size();
          handles.add(engine.schedule(time, phase, op.key(), record, id));
          ModelEvent event = new ModelEvent(time, phase, op.key(), seq++, id);
          reference.add(event);
          liveById.put(id, event);
          liveIds.add(id);
        }
        case CANCEL, CANCEL_LIVE -> {
          List<Long> candidates = op.kind() == Kind.CANCEL ? allIds(handles.size()) : liveIds;
          if (candidates.isEmpty()) {
            continue;
          }
          long id = candidates.get(op.pick() % candidates.size());
          long handle = handles.get((int) id);
          ModelEvent event = liveById.remove(id);
          assertThat(engine.isPending(handle)).isEqualTo(event != null);
          assertThat(engine.cancel(handle)).isEqualTo(event != null);
          assertThat(engine.isPending(handle)).isFalse();
          if (event != null) {
            reference.remove(event);
            liveIds.remove(id);
          }
        }
        case POP -> {
          ModelEvent expected = reference.poll();
          fired.clear();
          assertThat(engine.step()).isEqualTo(expected != null);
          if (expected != null) {
            assertThat(fired).containsExactly(expected.id());
            assertThat(engine.now()).isEqualTo(expected.time());
            assertThat(engine.currentPhase()).isEqualTo(expected.phase());
            liveById.remove(expected.id());
            liveIds.remove(expected.id());
            modelNow = expected.time();
            modelPhase = expected.phase();
          }
        }
      }
      assertThat(engine.pending()).isEqualTo(reference.size());
    }

    fired.clear();
    engine.run();
    List<Long> expectedRest = new ArrayList<>();
    while (!reference.isEmpty()) {
      expectedRest.add(reference.poll().id());
    }
    assertThat(fired).containsExactlyElementsOf(expectedRest);
    assertThat(engine.pending()).isZero();
    for (long handle : handles) {
      assertThat(engine.isPending(handle)).isFalse();
    }
  }

  private static List<Long> allIds(int count) {
    List<Long> ids = new ArrayList<>(count);
    for (long id = 0; id < count; id++) {
      ids.add(id);
    }
    return ids;
  }

  /** Schedules and pops only; returns {time, phase, key, id} of each event in firing order. */
  private static List<long[]> replayPopsOnly(Engine engine, List<Op> ops) {
    List<long[]> fired = new ArrayList<>();
    long[] counter = {0};
    EventHandler record = (e, arg) ->
        fired.add(new long[] {e.now(), e.currentPhase(), arg >>> 32, arg & 0xFFFF_FFFFL});
    for (Op op : ops) {
      if (op.kind() == Kind.SCHEDULE) {
        long time = engine.now() + op.delay();
        int phase = time == engine.now() ? Math.max(op.phase(), engine.currentPhase()) : op.phase();
        engine.schedule(time, phase, op.key(), record, op.key() << 32 | counter[0]++);
      } else if (op.kind() == Kind.POP) {
        engine.step();
      }
    }
    engine.run();
    return fired;
  }
}
