package dev.tokentherm.sim;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.hardware.ConnectorProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.tier.KvTiers;
import dev.tokentherm.net.Links;
import dev.tokentherm.net.Network;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.Fabric;
import dev.tokentherm.scenario.KvSpec;
import dev.tokentherm.scenario.KvTiersSpec;
import dev.tokentherm.serving.ConnectorRules;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Replica;
import java.util.List;

/**
 * Builds the KV tiers below HBM from {@code cluster.kv_tiers} and the nodes' profiles (none when
 * every capacity is 0: the run is then exactly an HBM-only run), timed as flows on the run's links
 * ({@link NetworkMover}; a remote pool adds one {@code pool} link per node and the fabric's links,
 * {@link #fabricLinks}), and gives each replica its tiers and its deployment's placement, reuse, TTL
 * and KV connector (whose {@code cpu_cache_gib} caps the node's DRAM tier: {@link #connectorDramBytes}).
 */
final class TierSetup {
  /** Class of the fabric's links in links.csv. */
  static final String FABRIC = "fabric";
  private static final double GIB = 1024.0 * 1024 * 1024;

  private TierSetup() {}

  /** Returns the tiers (null: none). {@code host}: each node's host memory, which the DRAM tier shares with swap. */
  static KvTiers attach(KvTiersSpec spec, Fabric fabric, Placement placement, HostMemory[] host, List<Replica> replicas, Links links,
      Engine engine, PolicyRegistry policies, Faults faults) throws SetupException {
    KvTiers tiers = spec.any() ? build(spec, fabric, placement, host, links, engine, policies, faults) : null;
    for (int i = 0; i < replicas.size(); i++) {
      DeploymentPlan plan = placement.replicaPlans.get(i);
      KvSpec kv = plan.spec().kv();
      replicas.get(i).useTiers(tiers, placement.nodeOf(placement.gpusOfReplica.get(i)[0]),
          policies.placement(kv.placement()).action(), kv.reuse(), Durations.toNanos(kv.idleTtlS()),
          rules(plan.connector(), kv.blockTokens()));
    }
    return tiers;
  }

  /** A connector profile's rules: its chunk (absent: the deployment's block), what it stores, how it loads and writes. */
  static ConnectorRules rules(ConnectorProfile c, int blockTokens) {
    if (c == null) {
      return ConnectorRules.NONE;
    }
    return new ConnectorRules(c.chunkTokens() != null ? (long) c.chunkTokens().value() : blockTokens,
        c.storesPartialChunks().value(), c.storesDecodeKv().value(), c.loading().mode().equals("sync"),
        c.writes().at().equals("prefill-end"));
  }

  /**
   * A node's DRAM tier as its replicas' connectors may use it: the sum over its replicas of each
   * one's connector cache ({@code cpu_cache_gib} on each of its GPUs: one engine, with its own
   * cache, per worker process, as we read LMCache's vLLM integration), a replica without such a cap counting the whole {@code dramBytes}; at most
   * {@code dramBytes}, which a node without replicas keeps.
   */
  static long connectorDramBytes(long dramBytes, int node, Placement placement) {
    long capped = 0;
    boolean any = false;
    for (int i = 0; i < placement.replicaPlans.size(); i++) {
      int[] gpus = placement.gpusOfReplica.get(i);
      if (placement.nodeOf(gpus[0]) != node) {
        continue;
      }
      ConnectorProfile c = placement.replicaPlans.get(i).connector();
      if (c == null || c.cpuCacheGib() == null) {
        return dramBytes;
      }
      capped += (long) (c.cpuCacheGib().value() * GIB) * gpus.length;
      any = true;
    }
    return any ? Math.min(dramBytes, capped) : dramBytes;
  }

  private static KvTiers build(KvTiersSpec spec, Fabric fabric, Placement placement, HostMemory[] host, Links links,
      Engine engine, PolicyRegistry policies, Faults faults) throws SetupException {
    List<NodeProfile> nodes = placement.nodes;
    int n = nodes.size();
    long[] dram = new long[n];
    long[] nvme = new long[n];
    int[] poolLink = new int[n];
    long remoteLatencyNs = Durations.toNanos(spec.remoteLatencyUs() * 1e-6);
    for (int i = 0; i < n; i++) {
      NodeProfile node = nodes.get(i);
      if (spec.nvmeGib() > 0 && node.dramGbPerS() == null && node.nvmeWriteGbPerS() == null) {
        // KV moving from DRAM down to NVMe crosses only those two links: one must bound it
        throw new SetupException(List.of(new SetupException.Problem("cluster.kv_tiers.nvme_gib", "node profile "
            + node.id() + " gives neither dram_gb_per_s nor nvme_write_gb_per_s, so KV moving from DRAM to NVMe"
            + " has no bandwidth; allowed: nvme_gib 0, or a node profile with them")));
      }
      dram[i] = connectorDramBytes((long) (Math.min(spec.dramGib(), node.hostDramGib().value()) * GIB), i, placement);
      nvme[i] = (long) (Math.min(spec.nvmeGib(), node.nvmeGib().value()) * GIB);
      poolLink[i] = spec.remoteGib() > 0 ? links.network().addLink(NetworkMover.POOL, "node" + i,
          spec.remoteGbPerS() * 1e9, remoteLatencyNs, 0) : -1;
    }
    int[] fabricLink = spec.remoteGib() > 0 ? fabricLinks(fabric, placement, links.network()) : null;
    // DRAM's and NVMe's latencies are added at a copy's end; the pool's is on its links
    long[] addedLatencyNs = {0, Durations.toNanos(spec.dramLatencyUs() * 1e-6),
        Durations.toNanos(spec.nvmeLatencyUs() * 1e-6), 0};
    int[][] gpusOf = new int[placement.gpuCount()][];
    double[] chunkBytesOf = new double[placement.gpuCount()];
    for (int i = 0; i < placement.gpusOfReplica.size(); i++) {
      int first = placement.gpusOfReplica.get(i)[0];
      gpusOf[first] = placement.gpusOfReplica.get(i);
      chunkBytesOf[first] = placement.replicaPlans.get(i).kv().blockBytes();
    }
    double[] joulesPerByte = {0, spec.dramPjPerByte() * 1e-12, spec.nvmePjPerByte() * 1e-12,
        spec.remotePjPerByte() * 1e-12};
    return new KvTiers(dram, host, nvme, (long) (spec.remoteGib() * GIB),
        new NetworkMover(engine, links, poolLink, fabricLink, addedLatencyNs, gpusOf, chunkBytesOf), joulesPerByte,
        policies.eviction(spec.eviction()), Durations.toNanos(spec.idleTtlS()), faults.leakTier());
  }

  /**
   * The fabric's links, class {@code fabric}, one for the cluster or per rack ({@code
   * cluster.fabric.per}), and per node the one its remote-pool traffic crosses. A link's capacity is
   * {@code cluster.fabric.gb_per_s}, else the sum of the NIC line rates of its nodes (non-blocking:
   * it never binds before their NICs); +∞ when one of them has no NICs (its NIC link bounds nothing either).
   */
  static int[] fabricLinks(Fabric fabric, Placement placement, Network network) {
    int nodes = placement.nodes.size();
    boolean perRack = fabric.per().equals("rack");
    int count = perRack ? placement.racks() : 1;
    double[] nicSum = new double[count];
    for (int n = 0; n < nodes; n++) {
      nicSum[perRack ? placement.rackOf(n) : 0] += NetworkLayout.nicBytesPerS(placement.nodes.get(n));
    }
    long latencyNs = fabric.latencyUs() == null ? 0 : Durations.toNanos(fabric.latencyUs().value() * 1e-6);
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      double capacity = fabric.gbPerS() != null ? fabric.gbPerS().value() * 1e9 : nicSum[i];
      ids[i] = network.addLink(FABRIC, perRack ? "rack" + i : "cluster", capacity, latencyNs, 0);
    }
    int[] of = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      of[n] = ids[perRack ? placement.rackOf(n) : 0];
    }
    return of;
  }
}
