package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("Something that happens to the machines at a simulated time")
public record ClusterEvent(
    @Required @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("when, s of simulated time") double atS,
    @Required @OneOf({"fan-failure"}) @Doc("fan-failure: fans of a node stop for good; its airflow falls by their share of the node's fans") String kind,
    @Required @Range(min = 0) @Doc("the node, numbered from 0 in cluster.nodes order") int node,
    @Default("1") @Range(min = 1) @Doc("fan-failure: how many of the node's fans stop") int fans) {}
