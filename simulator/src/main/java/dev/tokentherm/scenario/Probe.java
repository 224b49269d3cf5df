package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import java.util.List;

@Doc("Measures one request at each context length with the history already cached, one after another")
public record Probe(
    @Required @MinSize(1) @Range(min = 1) @Doc("context lengths (tokens of cached history) to measure, in order") List<Long> contexts,
    @Default("64") @Range(min = 1) @Doc("output tokens of each probe request") int outputTokens,
    @Default("1") @Range(min = 1) @Doc("new prompt tokens of each probe request, on top of the cached history") int promptTokens,
    @Default("0") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("seconds into the run when the first probe starts") double startS) {}
