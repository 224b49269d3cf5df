package dev.tokentherm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debug mode that shuffles order-free ties. */
class EngineShuffleTest {

  /** What one event was, packed: time, phase, key and its scheduling number. */
  record Fired(long time, int phase, long key, long number) {}

  @Test
  void firesTheSameEventsAndBreaksFifoOnlyAmongExactTies() {
    List<Fired> fifo = runTieHeavyScenario(new Engine());
    List<Fired> shuffled = runTieHeavyScenario(new Engine(42));

    assertThat(shuffled).containsExactlyInAnyOrderElementsOf(fifo);
    assertThat(shuffled).isNotEqualTo(fifo);
    for (int i = 1; i < shuffled.size(); i++) {
      Fired before = shuffled.get(i - 1);
      Fired after = shuffled.get(i);
      int byOrderKey = compareTimePhaseKey(before, after);
      assertThat(byOrderKey).as("(time, phase, key) never decreases").isLessThanOrEqualTo(0);
    }
    assertThat(countFifoInversionsAmongTies(fifo)).isZero();
    assertThat(countFifoInversionsAmongTies(shuffled)).isPositive();
  }

  @Test
  void isDeterministicForAGivenSeed() {
    assertThat(runTieHeavyScenario(new Engine(7))).isEqualTo(runTieHeavyScenario(new Engine(7)));
    assertThat(runTieHeavyScenario(new Engine(7))).isNotEqualTo(runTieHeavyScenario(new Engine(8)));
  }

  @Test
  void leavesEventsWithDistinctKeysInKeyOrder() {
    Engine engine = new Engine(99);
    List<Long> fired = new ArrayList<>();
    for (long key = 200; key > 0; key--) {
      engine.schedule(5, Phase.STATE, key, (e, arg) -> fired.add(arg), key);
    }

    engine.run();

    long[] expected = new long[200];
    Arrays.setAll(expected, i -> i + 1);
    assertThat(fired).containsExactly(Arrays.stream(expected).boxed().toArray(Long[]::new));
  }

  /**
   * Few distinct times, phases and keys; handlers schedule follow-ups (at the same instant in later
   * phases, and later), and some events are cancelled.
   */
  private static List<Fired> runTieHeavyScenario(Engine engine) {
    List<Fired> fired = new ArrayList<>();
    long[] nextNumber = {0};
    SplitMix64 random = RandomStreams.stream(1, StreamFamily.CONVERSATION, 0);
    EventHandler handler = new EventHandler() {
      @Override
      public void onEvent(Engine e, long number) {
        fired.add(new Fired(e.now(), e.currentPhase(), number >>> 32, number & 0xFFFF_FFFFL));
        if (random.nextInt(3) == 0 && e.currentPhase() < 3) {
          int laterPhase = e.currentPhase() + 1 + random.nextInt(2);
          scheduleTie(e, this, e.now() + random.nextInt(2), laterPhase, random.nextInt(3),
              nextNumber);
        }
      }
    };
    List<Long> handles = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      handles.add(scheduleTie(engine, handler, random.nextInt(4), random.nextInt(3),
          random.nextInt(3), nextNumber));
    }
    for (int i = 0; i < handles.size(); i += 17) {
      engine.cancel(handles.get(i));
    }
    engine.run();
    return fired;
  }

  private static long scheduleTie(Engine engine, EventHandler handler, long time, int phase,
      long key, long[] nextNumber) {
    long number = nextNumber[0]++;
    return engine.schedule(time, phase, key, handler, key << 32 | number);
  }

  private static int compareTimePhaseKey(Fired a, Fired b) {
    int byTime = Long.compare(a.time(), b.time());
    if (byTime != 0) {
      return byTime;
    }
    int byPhase = Integer.compare(a.phase(), b.phase());
    return byPhase != 0 ? byPhase : Long.compare(a.key(), b.key());
  }

  /** Adjacent pairs of equal (time, phase, key) fired against their scheduling order. */
  private static int countFifoInversionsAmongTies(List<Fired> fired) {
    int inversions = 0;
    for (int i = 1; i < fired.size(); i++) {
      if (compareTimePhaseKey(fired.get(i - 1), fired.get(i)) == 0
          && fired.get(i - 1).number() > fired.get(i).number()) {
        inversions++;
      }
    }
    return inversions;
  }
}
