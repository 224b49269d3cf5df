package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;

@Doc("Per-request thresholds; a request meets the SLO when it meets all of them")
public record Slo(
    @Default("2000") @Range(min = 0, minExclusive = true) @Doc("time to first token limit, ms") double ttftMs,
    @Default("100") @Range(min = 0, minExclusive = true) @Doc("time per output token limit, ms") double tpotMs,
    @Default("0.9") @Range(min = 0, max = 1) @Doc("target share of windowed requests meeting the thresholds") double attainment) {}
