package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOfCatalog;
import dev.tokentherm.config.Range;

/**
 * The KV tiers below each replica's HBM, cluster-wide: every capacity 0 (the default) leaves the
 * run exactly as without tiers. Copies are flows on the run's shared links (sim.NetworkMover): the
 * GPUs' host links, the node's DRAM, NVMe and NICs, and a pool link per node for the remote pool.
 */
@Doc("KV tiers below HBM where conversations' KV waits between turns (all 0: HBM only)")
public record KvTiersSpec(
    @Default("0") @Range(min = 0, max = 1e9) @Doc("host DRAM per node a KV tier may hold, GiB; capped by the node's"
        + " host_dram_gib, whose bytes it shares with swap (one owner per node)") double dramGib,
    @Default("0") @Range(min = 0, max = 1e9) @Doc("local NVMe per node a KV tier may hold, GiB; capped by the node's"
        + " nvme_gib") double nvmeGib,
    @Default("0") @Range(min = 0, max = 1e12) @Doc("remote KV pool for the whole cluster (a Mooncake store, an"
        + " LMCache server), GiB, reached over each node's NICs") double remoteGib,
    @Default("25") @Range(min = 0, max = 1e6, minExclusive = true) @Doc("the remote pool's bandwidth per node,"
        + " 10^9 B/s (estimate: one 200 Gbit/s NIC's line rate)") double remoteGbPerS,
    @Default("20") @Range(min = 0, max = 1e9) @Doc("latency of one copy to or from the remote pool, µs (estimate:"
        + " RDMA round trips and the store's lookup, tens of µs in Mooncake's transfer engine)") double remoteLatencyUs,
    @Default("10") @Range(min = 0, max = 1e9) @Doc("latency of one copy between HBM and host DRAM, µs (estimate:"
        + " a cudaMemcpyAsync launch and DMA setup, ~10 µs)") double dramLatencyUs,
    @Default("100") @Range(min = 0, max = 1e9) @Doc("latency of one copy to or from the NVMe, µs (estimate: a"
        + " datacenter NVMe's 4 KiB read latency, ~80-100 µs)") double nvmeLatencyUs,
    @Default("40") @Range(min = 0, max = 1e6) @Doc("energy per byte copied between HBM and host DRAM, pJ/B (estimate:"
        + " PCIe Gen5 at ~5 pJ/bit)") double dramPjPerByte,
    @Default("3500") @Range(min = 0, max = 1e6) @Doc("energy per byte written to or read from the NVMe, pJ/B"
        + " (estimate: a datacenter NVMe drawing ~25 W while moving ~7 GB/s)") double nvmePjPerByte,
    @Default("600") @Range(min = 0, max = 1e6) @Doc("energy per byte moved to or from the remote pool, pJ/B"
        + " (estimate: a 400 Gbit/s NIC at ~25 W is 0.5 nJ/B, plus a switch port's share)") double remotePjPerByte,
    @Default("lru") @OneOfCatalog("eviction") @Doc("which KV a full lower tier moves down first (the last tier"
        + " drops it); the tiers are shared by the deployments on a node") String eviction,
    @Default("300") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("the ttl eviction's age past which lower-tier"
        + " KV goes first, s") double idleTtlS) {

  /** True when some tier below HBM has room. */
  public boolean any() {
    return dramGib > 0 || nvmeGib > 0 || remoteGib > 0;
  }
}
