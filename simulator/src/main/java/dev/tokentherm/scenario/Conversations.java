package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Required;

@Doc("Synthetic multi-turn conversations; each conversation draws from its own random stream; counts are rounded to whole numbers and never below 1")
public record Conversations(
    @Required @Doc("when conversations start") Arrival arrival,
    @Required @Doc("turns per conversation (a geometric mean counts turns ≥ 1, not failures)") Distribution turns,
    @Required @Doc("new user tokens per turn (the prompt on top of the cached history)") Distribution userTokens,
    @Required @Doc("model tokens per reply") Distribution modelTokens,
    @Default("{distribution: constant, value: 0}") @Doc("seconds from a reply's last token to the next prompt") Distribution thinkTimeS)
    {}
