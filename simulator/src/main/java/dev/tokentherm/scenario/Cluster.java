package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.Required;
import java.util.List;

@Doc("The machines: node groups, racks, facility")
public record Cluster(
    @Required @MinSize(1) @Doc("groups of identical nodes, in order; GPUs are numbered in this order") List<NodeGroup> nodes,
    @Default("{}") @Doc("rack layout, cooling and power budget") Racks racks,
    @Default("{}") @Doc("facility overheads and prices") Facility facility,
    @Doc("events at simulated times: fan failures") List<ClusterEvent> events,
    @Default("{}") @Doc("KV tiers below HBM: host DRAM and NVMe per node, a remote pool") KvTiersSpec kvTiers,
    @Default("{}") @Doc("scale-out fabric between the NICs and the remote KV pool") Fabric fabric) {}
