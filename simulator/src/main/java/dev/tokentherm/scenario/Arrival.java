package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("Arrival process of conversations")
public record Arrival(
    @Required @OneOf({"poisson", "uniform"}) @Doc("poisson: exponential gaps; uniform: evenly spaced") String process,
    @Required @Range(min = 0, minExclusive = true) @Doc("conversations started per second") Double ratePerS,
    @Range(min = 1) @Doc("stop after this many conversations (default: only the horizon limits them)") Long maxConversations) {}
