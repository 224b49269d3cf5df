package dev.tokentherm.workload;

import java.util.ArrayList;
import java.util.List;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.RandomStreams;
import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.engine.StreamFamily;
import dev.tokentherm.scenario.Arrival;
import dev.tokentherm.scenario.Conversations;
import dev.tokentherm.scenario.Limits;

/**
 * Multi-turn conversations from distributions, drawn so that two runs that differ only in policy
 * see the same conversations (common random numbers):
 *
 * <ul>
 *   <li>open processes: gaps from the stream (seed, ARRIVAL, workload index), drawn in start
 *       order, which is the arrival order and so independent of the policy; conversation n's turns
 *       from its own stream (seed, CONVERSATION, (workload index &lt;&lt; 40) | n);
 *   <li>closed loop: user u's k-th conversation from (seed, USER_CONVERSATION, (workload index
 *       &lt;&lt; 40) | u, k), and the pause after it from (seed, USER_PAUSE, same index, k): a
 *       user's k-th pause and script are the same whatever order the policy ends and starts the
 *       conversations of all users in.
 * </ul>
 */
public final class SyntheticConversations {
  private final Conversations spec;
  private final long seed;
  private final int workloadIndex;
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
    this.turns = new Sampler(spec.turns());
    this.userTokens = new Sampler(spec.userTokens());
    this.modelTokens = new Sampler(spec.modelTokens());
    this.thinkTime = new Sampler(spec.thinkTimeS());
    Arrival a = spec.arrival();
    this.gaps = a.process().equals("closed-loop") ? null : new ArrivalProcess(a, RandomStreams.stream(seed, StreamFamily.ARRIVAL, workloadIndex));
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

  /**
   * Closed loop: user {@code user}'s pause between the end of its conversation {@code k} and the
   * start of its next, ns.
   */
  public long userIdleNs(int user, long k) {
    SplitMix64 stream = RandomStreams.stream(seed, StreamFamily.USER_PAUSE, userIndex(user), k);
    return Durations.toNanos(seconds(userIdle.sample(stream)));
  }

  /** The index of a closed-loop user's streams: workload index in the bits above 40, then the user. */
  private long userIndex(int user) {
    return ((long) workloadIndex << 40) | user;
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
  public Script script(long number) {
    SplitMix64 stream = RandomStreams.stream(seed, StreamFamily.CONVERSATION,
        ((long) workloadIndex << 40) | number);
    return new Script(stream, -1, number, -1);
  }

  /** A conversation in progress at time 0 (pre-aged): its script after its first turns. */
  public record InProgress(long number, Script script, int turnsDone, long historyTokens, long nextArrivalNs,
      long lastActiveNs) {}

  /** Earlier conversations that must all have ended before the backward walk stops. */
  private static final int ENDED_IN_A_ROW = 1_000;
  /** The most starts the walk draws (a population that large is refused, not aged). */
  private static final long MAX_PAST_STARTS = 10_000_000;

  /**
   * The population in progress at time 0 (pre_aged): conversations started before 0 by the
   * workload's own arrival process (drawn backwards from 0 on a stream of its own, so the
   * conversations after 0 are the same with or without it), each with its own script (stream
   * PRE_AGED_CONVERSATION, numbered 0, 1, … going back in time), its turns arriving think times
   * apart with replies taken as instant. One is in progress when a turn of it arrives at or after
   * 0: it has done the turns before, holds their history, and its next prompt arrives then. The
   * walk stops once {@value #ENDED_IN_A_ROW} earlier conversations in a row had all ended.
   * Returned least recently active first.
   */
  public List<InProgress> preAged() {
    ArrivalProcess past = new ArrivalProcess(spec.arrival(), RandomStreams.stream(seed, StreamFamily.PRE_AGED_ARRIVAL,
        workloadIndex));
    List<InProgress> out = new ArrayList<>();
    TurnDraw draw = new TurnDraw();
    long startNs = 0;
    int endedInARow = 0;
    for (long i = 0; endedInARow < ENDED_IN_A_ROW; i++) {
      if (i == MAX_PAST_STARTS) {
        throw new IllegalStateException("pre_aged: more than " + MAX_PAST_STARTS + " conversations before time 0");
      }
      startNs -= Math.max(1, past.nextGapNs(0));
      Script walker = preAgedScript(i);
      long t = startNs;
      long history = 0;
      long lastActive = startNs;
      int done = 0;
      boolean inProgress = false;
      while (true) {
        walker.nextTurn(draw);
        if (t >= 0) {
          inProgress = true;
          break;
        }
        done++;
        history += draw.userTokens + draw.modelTokens;
        lastActive = t;
        if (draw.last || draw.thinkNs > -t + Limits.MAX_SECONDS * 1_000_000_000L) {
          break; // ended before 0 (or its next prompt lies beyond any run)
        }
        t += draw.thinkNs;
      }
      if (!inProgress) {
        endedInARow++;
        continue;
      }
      endedInARow = 0;
      Script live = preAgedScript(i);
      for (int k = 0; k < done; k++) {
        live.nextTurn(draw); // the turns already done
      }
      out.add(new InProgress(i, live, done, history, t, lastActive));
    }
    out.sort(java.util.Comparator.comparingLong(InProgress::lastActiveNs).thenComparingLong(InProgress::number));
    return out;
  }

  /** The same in-progress conversation with a script of its own (another deployment's copy). */
  public InProgress preAgedCopy(InProgress p) {
    Script live = preAgedScript(p.number());
    TurnDraw draw = new TurnDraw();
    for (int k = 0; k < p.turnsDone(); k++) {
      live.nextTurn(draw);
    }
    return new InProgress(p.number(), live, p.turnsDone(), p.historyTokens(), p.nextArrivalNs(), p.lastActiveNs());
  }

  private Script preAgedScript(long number) {
    return new Script(RandomStreams.stream(seed, StreamFamily.PRE_AGED_CONVERSATION,
        ((long) workloadIndex << 40) | number), -1, number, -1);
  }

  /**
   * Closed loop: the script of user {@code user}'s k-th conversation (k = 0, 1, …), after a drawn
   * pause of {@code pauseBeforeNs} (-1 for the first; recorded, not used).
   */
  public Script userScript(int user, long k, long pauseBeforeNs) {
    SplitMix64 stream = RandomStreams.stream(seed, StreamFamily.USER_CONVERSATION, userIndex(user), k);
    return new Script(stream, user, k, pauseBeforeNs);
  }

  /**
   * The turns of one synthetic conversation, drawn in order from its own stream; it also says
   * whose conversation it is (the closed-loop user and that user's conversation number, or the
   * open process's conversation number) and the pause before it, so tests can compare draws.
   */
  public final class Script implements ConversationScript {
    private final SplitMix64 stream;
    private final int user;
    private final long number;
    private final long pauseBeforeNs;
    private final int turnCount;
    private int drawn;

    @Override
    public int remainingTurns() {
      return Math.max(0, turnCount - drawn);
    }

    Script(SplitMix64 stream, int user, long number, long pauseBeforeNs) {
      this.stream = stream;
      this.user = user;
      this.number = number;
      this.pauseBeforeNs = pauseBeforeNs;
      this.turnCount = turns.sampleCount(stream);
    }

    @Override
    public void nextTurn(TurnDraw out) {
      out.userTokens = userTokens.sampleCount(stream);
      out.modelTokens = modelTokens.sampleCount(stream);
      out.thinkNs = Durations.toNanos(seconds(thinkTime.sample(stream)));
      out.nextArrivalNs = -1;
      drawn++;
      out.last = drawn >= turnCount;
    }

    /** The closed-loop user (0, 1, …), or -1 for an open arrival process. */
    public int user() {
      return user;
    }

    /** The user's k-th conversation (closed loop), else the workload's conversation number. */
    public long number() {
      return number;
    }

    /** The user's drawn pause before this conversation, ns (-1 for a user's first, or open arrivals). */
    public long pauseBeforeNs() {
      return pauseBeforeNs;
    }

    /** Turns drawn for the conversation. */
    public int turnCount() {
      return turnCount;
    }
  }
}
