package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import java.util.List;

@Doc("One spoken conversation: a phrase every phrase_s, speakers alternating (person's phrase = prompt, model's phrase = reply)")
public record Podcast(
    @Required @Range(min = 0, max = Limits.MAX_SECONDS / 60, minExclusive = true) @Doc("length of the conversation, minutes") double durationMin,
    @Required @Range(min = 0, max = Limits.MAX_SECONDS, minExclusive = true) @Doc("seconds between the starts of consecutive phrases") double phraseS,
    @Required @Range(min = 1, max = 1e6) @Doc("words in one phrase") double wordsPerPhrase,
    @Default("1.3") @Range(min = 0, max = 100, minExclusive = true) @Doc("tokens per word (~1.3 for English)") double tokensPerWord,
    @Default("0") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("seconds into the run when the first phrase is said") double startS,
    @Default("[5, 55, 205, 305, 505]") @Range(min = 0) @Doc("minutes at which the summary reports the first phrase that arrives at or after them") List<Double> reportMinutes) {

  /** Tokens of one phrase, rounded to the nearest whole token (20 words × 1.3 = 26). */
  public int tokensPerPhrase() {
    return (int) Math.max(1, Math.round(wordsPerPhrase * tokensPerWord));
  }
}
