package dev.tokentherm.workload;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.scenario.Podcast;

/**
 * A spoken conversation: phrase k starts at start + k·phrase_s, speakers alternating, so turn j's
 * prompt (the person's phrase 2j) arrives at start + 2j·phrase_s and the model's reply is phrase
 * 2j+1. Turns continue while the person's phrase starts before the end of the duration.
 */
public final class PodcastScript implements ConversationScript {
  private final long startNs;
  private final double phraseS;
  private final int tokens;
  private final long turns;
  private long turn;

  public PodcastScript(Podcast spec) {
    this.startNs = Durations.toNanos(spec.startS());
    this.phraseS = spec.phraseS();
    this.tokens = spec.tokensPerPhrase();
    this.turns = turnCount(spec);
  }

  /** Turns j with 2j·phrase_s < duration: ceil(duration / (2·phrase_s)). */
  public static long turnCount(Podcast spec) {
    return (long) Math.ceil(spec.durationMin() * 60.0 / (2 * spec.phraseS()));
  }

  public long firstArrivalNs() {
    return startNs;
  }

  public long arrivalNs(long turnIndex) {
    return startNs + Durations.toNanos(2 * turnIndex * phraseS);
  }

  @Override
  public void nextTurn(TurnDraw out) {
    out.userTokens = tokens;
    out.modelTokens = tokens;
    out.thinkNs = 0;
    turn++;
    out.last = turn >= turns;
    out.nextArrivalNs = out.last ? -1 : arrivalNs(turn);
  }
}
