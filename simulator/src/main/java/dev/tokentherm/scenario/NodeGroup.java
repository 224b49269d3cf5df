package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("A group of identical nodes")
public record NodeGroup(
    @Required @Doc("node profile id (hardware-profiles/nodes/<id>.yaml), e.g. dgx-h100") String profile,
    @Default("1") @Range(min = 1, max = Limits.MAX_GPUS) @Doc("number of nodes") int count) {}
