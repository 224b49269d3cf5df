package dev.tokentherm.workload;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.RandomStreams;
import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.engine.StreamFamily;
import dev.tokentherm.scenario.Arrival;
import dev.tokentherm.scenario.Conversations;
import dev.tokentherm.scenario.Limits;

/**
 * Multi-turn conversations from distributions. Arrival gaps come from the stream (seed, ARRIVAL,
 * workload index); each conversation's turns from its own stream (seed, CONVERSATION, number), so
 * two runs that differ only in policy see the same conversations.
 */
public final class SyntheticConversations {
  private final Conversations spec;
  private final long seed;
  private final int workloadIndex;
  private final SplitMix64 arrivals;
  private final Sampler turns;
  private final Sampler userTokens;
  private final Sampler modelTokens;
  private final Sampler thinkTime;
  private final ArrivalProcess gaps;
  private final Sampler userIdle;

  public SyntheticConversations(Conversations spec, long seed, int workloadIndex) {
    this.spec = spec;
    this.seed = seed;
    this.workloadIndex = workloadIndex;
    this.arrivals = RandomStreams.stream(seed, StreamFamily.ARRIVAL, workloadIndex);
    this.turns = new Sampler(spec.turns());
    this.userTokens = new Sampler(spec.userTokens());
    this.modelTokens = new Sampler(spec.modelTokens());
    this.thinkTime = new Sampler(spec.thinkTimeS());
    Arrival a = spec.arrival();
    this.gaps = a.process().equals("closed-loop") ? null : new ArrivalProcess(a, arrivals);
    this.userIdle = new Sampler(a.userIdleS());
  }

  /** Open processes: the gap from {@code nowNs} to the next conversation start, ns. */
  public long nextGapNs(long nowNs) {
    return gaps.nextGapNs(nowNs);
  }

  public boolean closedLoop() {
    return gaps == null;
  }

  public int users() {
    return spec.arrival().users();
  }

  /** Closed loop: a user's pause between the end of a conversation and the start of its next, ns. */
  public long userIdleNs() {
    return Durations.toNanos(seconds(userIdle.sample(arrivals)));
  }

  /**
   * A drawn pause as a duration: never negative and at most {@link Limits#MAX_SECONDS} (an
   * exponential or lognormal tail is unbounded; the clock is not).
   */
  private static double seconds(double drawn) {
    return Math.min(Limits.MAX_SECONDS, Math.max(0, drawn));
  }

  public Long maxConversations() {
    return spec.arrival().maxConversations();
  }

  /** The script of conversation {@code number} (0, 1, … within this workload entry). */
  public ConversationScript script(long number) {
    SplitMix64 stream = RandomStreams.stream(seed, StreamFamily.CONVERSATION,
        ((long) workloadIndex << 40) | number);
    int turnCount = turns.sampleCount(stream);
    return new ConversationScript() {
      private int drawn;

      @Override
      public void nextTurn(TurnDraw out) {
        out.userTokens = userTokens.sampleCount(stream);
        out.modelTokens = modelTokens.sampleCount(stream);
        out.thinkNs = Durations.toNanos(seconds(thinkTime.sample(stream)));
        out.nextArrivalNs = -1;
        drawn++;
        out.last = drawn >= turnCount;
      }
    };
  }
}
