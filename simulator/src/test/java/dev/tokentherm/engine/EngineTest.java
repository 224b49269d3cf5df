package dev.tokentherm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {

  private final Engine engine = new Engine();
  private final List<Long> fired = new ArrayList<>();
  private final EventHandler record = (e, arg) -> fired.add(arg);

  @Test
  void runsEventsByTimeThenPhaseThenKeyThenSchedulingOrder() {
    engine.schedule(20, Phase.ARRIVAL, 0, record, 1);
    engine.schedule(10, Phase.SAMPLE, 0, record, 2);
    engine.schedule(10, Phase.COMPLETION, 7, record, 3);
    engine.schedule(10, Phase.COMPLETION, 5, record, 4);
    engine.schedule(10, Phase.COMPLETION, 5, record, 5);
    engine.schedule(10, Phase.ARRIVAL, 9, record, 6);
    engine.schedule(10, Phase.COMPLETION, 5, record, 7);

    engine.run();

    assertThat(fired).containsExactly(6L, 4L, 5L, 7L, 3L, 2L, 1L);
    assertThat(engine.now()).isEqualTo(20);
    assertThat(engine.eventsProcessed()).isEqualTo(7);
  }

  @Test
  void ordersKeysAsUnsigned32BitValues() {
    engine.schedule(1, 0, Engine.MAX_KEY, record, 3);
    engine.schedule(1, 0, 1L << 31, record, 2);
    engine.schedule(1, 0, (1L << 31) - 1, record, 1);
    engine.schedule(1, 0, 0, record, 0);

    engine.run();

    assertThat(fired).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void handlersScheduleFurtherEventsIncludingLaterPhasesOfTheSameInstant() {
    EventHandler chain = new EventHandler() {
      @Override
      public void onEvent(Engine e, long arg) {
        fired.add(e.now() * 100 + e.currentPhase());
        if (arg > 0) {
          e.schedule(e.now(), Phase.SCHEDULE, 0, this, 0); // same instant, later phase
          e.scheduleAfter(5, Phase.ARRIVAL, 0, this, arg - 1);
        }
      }
    };
    engine.schedule(0, Phase.STATE, 0, chain, 2);

    engine.run();

    assertThat(fired).containsExactly(2L, 3L, 500L, 503L, 1000L);
  }

  @Test
  void sameInstantAndPhaseRunsAfterTheCurrentEventEvenWithASmallerKey() {
    engine.schedule(5, Phase.STATE, 10, (e, arg) -> {
      fired.add(arg);
      e.schedule(5, Phase.STATE, 0, record, 2);
    }, 1);
    engine.schedule(5, Phase.STATE, 20, record, 3);

    engine.run();

    assertThat(fired).containsExactly(1L, 2L, 3L);
  }

  @Test
  void rejectsSchedulingIntoThePast() {
    engine.schedule(10, 0, 0, record, 0);
    engine.run();

    assertThatThrownBy(() -> engine.schedule(9, 0, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past");
    assertThatThrownBy(() -> engine.scheduleAfter(-1, 0, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAnEarlierPhaseAtTheCurrentInstantFromInsideAHandler() {
    List<Throwable> thrown = new ArrayList<>();
    engine.schedule(10, Phase.STATE, 0, (e, arg) -> {
      try {
        e.schedule(10, Phase.COMPLETION, 0, record, 0);
      } catch (IllegalStateException expected) {
        thrown.add(expected);
      }
      e.schedule(10, Phase.STATE, 0, record, 1); // same phase: fine
      e.schedule(11, Phase.ARRIVAL, 0, record, 2); // earlier phase, later instant: fine
    }, 0);

    engine.run();

    assertThat(thrown).hasSize(1);
    assertThat(fired).containsExactly(1L, 2L);
  }

  @Test
  void rejectsAnEarlierPhaseAtTheCurrentInstantBetweenRuns() {
    engine.schedule(10, Phase.SCHEDULE, 0, record, 0);
    engine.run();

    assertThatThrownBy(() -> engine.schedule(10, Phase.ARRIVAL, 0, record, 0))
        .isInstanceOf(IllegalStateException.class);
    engine.schedule(10, Phase.SAMPLE, 0, record, 1);
  }

  @Test
  void rejectsOutOfRangeArguments() {
    assertThatThrownBy(() -> engine.schedule(0, -1, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.schedule(0, Phase.MAX + 1, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.schedule(0, 0, -1, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.schedule(0, 0, Engine.MAX_KEY + 1, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.schedule(Engine.MAX_TIME + 1, 0, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.scheduleAfter(Long.MAX_VALUE, 0, 0, record, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.schedule(0, 0, 0, null, 0))
        .isInstanceOf(NullPointerException.class);
    assertThat(engine.pending()).isZero();

    engine.schedule(Engine.MAX_TIME, Phase.MAX, Engine.MAX_KEY, record, 7);
    engine.run();
    assertThat(fired).containsExactly(7L);
    assertThat(engine.now()).isEqualTo(Engine.MAX_TIME);
  }

  @Test
  void cancelRemovesAPendingEventOnce() {
    long a = engine.schedule(1, 0, 0, record, 1);
    long b = engine.schedule(2, 0, 0, record, 2);

    assertThat(engine.isPending(a)).isTrue();
    assertThat(engine.cancel(a)).isTrue();
    assertThat(engine.isPending(a)).isFalse();
    assertThat(engine.cancel(a)).isFalse();
    assertThat(engine.pending()).isEqualTo(1);

    engine.run();

    assertThat(fired).containsExactly(2L);
    assertThat(engine.cancel(b)).as("cancel after firing").isFalse();
    assertThat(engine.eventsProcessed()).isEqualTo(1);
  }

  @Test
  void aStaleHandleNeverCancelsTheEventThatReusedItsSlot() {
    long first = engine.schedule(1, 0, 0, record, 1);
    engine.run();
    long second = engine.schedule(2, 0, 0, record, 2); // reuses the freed slot

    assertThat((int) second).isEqualTo((int) first);
    assertThat(engine.cancel(first)).isFalse();
    assertThat(engine.isPending(first)).isFalse();
    assertThat(engine.isPending(second)).isTrue();

    long third = engine.schedule(3, 0, 0, record, 3);
    assertThat(engine.cancel(second)).isTrue();
    long fourth = engine.schedule(4, 0, 0, record, 4); // the cancelled entry still holds its slot
    assertThat(engine.cancel(second)).isFalse();

    engine.run();

    assertThat(fired).containsExactly(1L, 3L, 4L);
    assertThat(engine.isPending(third)).isFalse();
    assertThat(engine.isPending(fourth)).isFalse();
  }

  @Test
  void handlesThatNeverExistedAreNotPending() {
    engine.schedule(1, 0, 0, record, 1);

    assertThat(engine.isPending(Engine.NO_HANDLE)).isFalse();
    assertThat(engine.cancel(Engine.NO_HANDLE)).isFalse();
    long live = engine.schedule(2, 0, 0, record, 2);
    assertThat(engine.cancel(live + (1L << 32))).isFalse(); // right slot, wrong generation
    assertThat(engine.cancel(live - (1L << 32))).isFalse();
    assertThat(engine.cancel(12345)).isFalse(); // slot never used
    assertThat(engine.cancel(Long.MIN_VALUE)).isFalse();
    assertThat(engine.pending()).isEqualTo(2);
  }

  @Test
  void cancelledEventsDoNotPileUpInAHugeQueue() {
    long[] handles = new long[100_000];
    for (int i = 0; i < handles.length; i++) {
      handles[i] = engine.schedule(1_000_000 + i, 0, 0, record, i);
    }
    for (int i = 0; i < handles.length; i++) {
      if (i % 100 != 0) {
        assertThat(engine.cancel(handles[i])).isTrue();
      }
    }

    assertThat(engine.pending()).isEqualTo(1_000);
    assertThat(engine.heldNodes()).isLessThanOrEqualTo(2 * 1_000 + 2);

    engine.run();
    assertThat(fired).hasSize(1_000);
    for (int i = 0; i < fired.size(); i++) {
      assertThat(fired.get(i)).isEqualTo(100L * i);
    }
  }

  @Test
  void compactionKeepsOrderAndReusesTheSlotsOfCancelledEvents() {
    SplitMix64 random = RandomStreams.stream(9, StreamFamily.CONVERSATION, 0);
    for (int round = 0; round < 20; round++) {
      long[] handles = new long[1_000];
      long[] times = new long[handles.length];
      for (int i = 0; i < handles.length; i++) {
        times[i] = engine.now() + 1 + random.nextInt(1_000_000);
        handles[i] = engine.schedule(times[i], random.nextInt(4), 0, record, times[i]);
      }
      for (int i = 0; i < handles.length; i++) {
        if (random.nextInt(10) != 0) {
          engine.cancel(handles[i]);
        }
      }
      fired.clear();
      engine.run();
      for (int i = 1; i < fired.size(); i++) {
        assertThat(fired.get(i)).isGreaterThanOrEqualTo(fired.get(i - 1));
      }
    }
    assertThat(engine.slotsEverUsed()).isLessThanOrEqualTo(1_024);
  }

  @Test
  void cancellingFromAHandlerPreventsALaterEvent() {
    long victim = engine.schedule(20, 0, 0, record, 2);
    engine.schedule(10, 0, 0, (e, arg) -> {
      fired.add(arg);
      assertThat(e.cancel(victim)).isTrue();
    }, 1);

    engine.run();

    assertThat(fired).containsExactly(1L);
  }

  @Test
  void runUntilRunsEventsUpToAndIncludingTheLimitThenMovesTheClock() {
    engine.schedule(5, 0, 0, record, 1);
    engine.schedule(10, Phase.MAX, Engine.MAX_KEY, record, 2);
    engine.schedule(11, 0, 0, record, 3);

    engine.runUntil(10);

    assertThat(fired).containsExactly(1L, 2L);
    assertThat(engine.now()).isEqualTo(10);
    assertThat(engine.pending()).isEqualTo(1);

    engine.runUntil(100);

    assertThat(fired).containsExactly(1L, 2L, 3L);
    assertThat(engine.now()).isEqualTo(100);
    assertThat(engine.currentPhase()).isZero();
    engine.schedule(100, Phase.ARRIVAL, 0, record, 4); // the new instant starts at phase 0
    assertThatThrownBy(() -> engine.runUntil(99)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stopMakesRunReturnAfterTheCurrentEvent() {
    engine.schedule(1, 0, 0, record, 1);
    engine.schedule(2, 0, 0, (e, arg) -> {
      fired.add(arg);
      e.stop();
    }, 2);
    engine.schedule(3, 0, 0, record, 3);

    engine.run();

    assertThat(fired).containsExactly(1L, 2L);
    assertThat(engine.now()).isEqualTo(2);
    assertThat(engine.pending()).isEqualTo(1);

    engine.run(); // a new run is not stopped by the old request
    assertThat(fired).containsExactly(1L, 2L, 3L);
  }

  @Test
  void stopInsideRunUntilLeavesTheClockAtTheStoppingEvent() {
    engine.schedule(1, 0, 0, (e, arg) -> e.stop(), 0);
    engine.schedule(2, 0, 0, record, 2);

    engine.runUntil(50);

    assertThat(engine.now()).isEqualTo(1);
    assertThat(fired).isEmpty();
  }

  @Test
  void runWhileChecksItsConditionBeforeEachEvent() {
    for (int i = 1; i <= 10; i++) {
      engine.schedule(i, 0, 0, record, i);
    }

    engine.runWhile(() -> fired.size() < 4);

    assertThat(fired).containsExactly(1L, 2L, 3L, 4L);
    assertThat(engine.pending()).isEqualTo(6);
  }

  @Test
  void runOrStepFromInsideAHandlerIsRejected() {
    List<Throwable> thrown = new ArrayList<>();
    engine.schedule(1, 0, 0, (e, arg) -> {
      try {
        e.run();
      } catch (IllegalStateException expected) {
        thrown.add(expected);
      }
      try {
        e.step();
      } catch (IllegalStateException expected) {
        thrown.add(expected);
      }
    }, 0);
    engine.schedule(2, 0, 0, record, 2);

    engine.run();

    assertThat(thrown).hasSize(2);
    assertThat(fired).containsExactly(2L);
  }

  @Test
  void aHandlerExceptionPropagatesAndLeavesTheEngineUsable() {
    engine.schedule(1, 0, 0, (e, arg) -> {
      throw new IllegalArgumentException("boom");
    }, 0);
    engine.schedule(2, 0, 0, record, 2);

    assertThatThrownBy(engine::run).hasMessage("boom");

    engine.run();
    assertThat(fired).containsExactly(2L);
    assertThat(engine.eventsProcessed()).isEqualTo(2);
  }

  @Test
  void nextEventTimeSkipsCancelledEvents() {
    assertThat(engine.nextEventTime()).isEqualTo(-1);
    long early = engine.schedule(3, 0, 0, record, 1);
    engine.schedule(7, 0, 0, record, 2);
    assertThat(engine.nextEventTime()).isEqualTo(3);

    engine.cancel(early);

    assertThat(engine.nextEventTime()).isEqualTo(7);
  }

  @Test
  void growsPastItsInitialCapacityAndKeepsOrder() {
    int n = 5_000;
    for (int i = 0; i < n; i++) {
      engine.schedule((i * 7919L) % n, 0, 0, record, (i * 7919L) % n);
    }

    engine.run();

    assertThat(fired).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(fired.get(i)).isEqualTo(i);
    }
  }
}
