package dev.tokentherm.sim;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.tier.FixedRateMover;
import dev.tokentherm.kv.tier.KvTiers;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.KvSpec;
import dev.tokentherm.scenario.KvTiersSpec;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Replica;
import java.util.List;

/**
 * Builds the KV tiers below HBM from {@code cluster.kv_tiers} and the nodes' profiles (none when
 * every capacity is 0: the run is then exactly an HBM-only run), and gives each replica its tiers
 * and its deployment's placement, reuse and TTL.
 */
final class TierSetup {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private TierSetup() {}

  /** Returns the tiers (null: none). {@code host}: each node's host memory, which the DRAM tier shares with swap. */
  static KvTiers attach(KvTiersSpec spec, List<NodeProfile> nodes, HostMemory[] host, List<Replica> replicas,
      List<KvSpec> kvOfReplica, int[] nodeOfReplica, Engine engine, PolicyRegistry policies, Faults faults) {
    KvTiers tiers = spec.any() ? build(spec, nodes, host, engine, policies, faults) : null;
    for (int i = 0; i < replicas.size(); i++) {
      KvSpec kv = kvOfReplica.get(i);
      replicas.get(i).useTiers(tiers, nodeOfReplica[i], policies.placement(kv.placement()).action(), kv.reuse(),
          Durations.toNanos(kv.idleTtlS()));
    }
    return tiers;
  }

  private static KvTiers build(KvTiersSpec spec, List<NodeProfile> nodes, HostMemory[] host, Engine engine,
      PolicyRegistry policies, Faults faults) {
    int n = nodes.size();
    long[] dram = new long[n];
    long[] nvme = new long[n];
    double[][] deviceBytesPerS = new double[n][Tiers.COUNT];
    double[] hostLink = new double[n];
    for (int i = 0; i < n; i++) {
      NodeProfile node = nodes.get(i);
      dram[i] = (long) (Math.min(spec.dramGib(), node.hostDramGib().value()) * GIB);
      nvme[i] = (long) (Math.min(spec.nvmeGib(), node.nvmeGib().value()) * GIB);
      hostLink[i] = node.hostLinkGbPerS().value() * 1e9;
      deviceBytesPerS[i][Tiers.DRAM] = Double.MAX_VALUE; // host DRAM outruns the host links
      deviceBytesPerS[i][Tiers.NVME] = node.nvmeReadGbPerS().value() * 1e9; // writes taken at the read rate
      double nics = node.nics().count() * node.nics().gbitPerS().value() * 1e9 / 8;
      deviceBytesPerS[i][Tiers.REMOTE] = Math.min(nics > 0 ? nics : Double.MAX_VALUE, spec.remoteGbPerS() * 1e9);
    }
    long[] latencyNs = {0, Durations.toNanos(spec.dramLatencyUs() * 1e-6), Durations.toNanos(spec.nvmeLatencyUs() * 1e-6),
        Durations.toNanos(spec.remoteLatencyUs() * 1e-6)};
    double[] joulesPerByte = {0, spec.dramPjPerByte() * 1e-12, spec.nvmePjPerByte() * 1e-12,
        spec.remotePjPerByte() * 1e-12};
    return new KvTiers(dram, host, nvme, (long) (spec.remoteGib() * GIB),
        new FixedRateMover(engine, deviceBytesPerS, hostLink, latencyNs), joulesPerByte,
        policies.eviction(spec.eviction()), Durations.toNanos(spec.idleTtlS()), faults.leakTier());
  }
}
