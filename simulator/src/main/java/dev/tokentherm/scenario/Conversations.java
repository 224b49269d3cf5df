package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

@Doc("Synthetic multi-turn conversations; each conversation draws from its own random stream; counts are rounded to whole numbers and never below 1")
public record Conversations(
    @Required @Doc("when conversations start") Arrival arrival,
    @Required @Doc("turns per conversation (a geometric mean counts turns ≥ 1, not failures)") Distribution turns,
    @Required @Doc("new user tokens per turn (the prompt on top of the cached history)") Distribution userTokens,
    @Required @Doc("model tokens per reply") Distribution modelTokens,
    @Default("{distribution: constant, value: 0}") @Doc("seconds from a reply's last token to the next prompt (draws at most 10^9 s)") Distribution thinkTimeS,
    @Default("false") @Doc("start from a pre-aged population: conversations already in progress at time 0, drawn by running the workload's own arrivals and scripts before 0 (replies taken as instant), with their history's KV placed on their replicas, least recently active evicted first; poisson, uniform and gamma arrivals") boolean preAged)
    implements Validatable {

  @Override
  public void validate(Validation v) {
    Distribution.checkCount(v, "turns", turns, "a conversation has at least one turn");
    Distribution.checkCount(v, "user_tokens", userTokens, "a turn needs at least one new token");
    Distribution.checkCount(v, "model_tokens", modelTokens, "a reply has at least one token");
    Distribution.checkSeconds(v, "think_time_s", thinkTimeS);
    String process = arrival.process();
    if (preAged && !(process.equals("poisson") || process.equals("uniform") || process.equals("gamma"))) {
      v.error("pre_aged", "is true with " + process + " arrivals; allowed: poisson, uniform or gamma arrivals"
          + " (a stationary rate to age the population with)");
    }
  }
}
