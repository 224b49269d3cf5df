package dev.tokentherm.sim;

import dev.tokentherm.config.Sourced;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.net.ChunkRate;
import dev.tokentherm.net.Links;
import dev.tokentherm.net.Network;

/**
 * Builds the run's one {@link Network} from the placement: per GPU its host link
 * (host_link_gb_per_s), per node its DRAM (dram_gb_per_s), NVMe read and write, and its NICs
 * (count × gbit_per_s / 8, with the per-chunk overhead of {@link ChunkRate#NIC_OVERHEAD_NS}). A
 * bandwidth a profile leaves out bounds nothing (+∞), as does a node without NICs. The profiles
 * carry no link latencies, so every link's is 0.
 */
final class NetworkLayout {
  private NetworkLayout() {}

  static Links build(Engine engine, Placement placement, boolean loseLinkBytes) {
    Network network = new Network(engine);
    if (loseLinkBytes) {
      network.loseLinkBytes();
    }
    int gpus = placement.gpuCount();
    int nodes = placement.nodes.size();
    int[] hostLink = new int[gpus];
    int[] nodeOf = new int[gpus];
    for (int g = 0; g < gpus; g++) {
      nodeOf[g] = placement.nodeOf(g);
      hostLink[g] = network.addLink(Links.HOST_LINK, "gpu" + g,
          gbPerS(placement.nodes.get(nodeOf[g]).hostLinkGbPerS()), 0, 0);
    }
    int[] dram = new int[nodes];
    int[] nvmeRead = new int[nodes];
    int[] nvmeWrite = new int[nodes];
    int[] nic = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      NodeProfile p = placement.nodes.get(n);
      dram[n] = network.addLink(Links.DRAM, "node" + n, gbPerS(p.dramGbPerS()), 0, 0);
      nvmeRead[n] = network.addLink(Links.NVME_READ, "node" + n, gbPerS(p.nvmeReadGbPerS()), 0, 0);
      nvmeWrite[n] = network.addLink(Links.NVME_WRITE, "node" + n, gbPerS(p.nvmeWriteGbPerS()), 0, 0);
      nic[n] = network.addLink(Links.NIC, "node" + n, nicBytesPerS(p), 0, ChunkRate.NIC_OVERHEAD_NS);
    }
    return new Links(network, hostLink, nodeOf, dram, nvmeRead, nvmeWrite, nic);
  }

  /** The routes of a replica's swap copies: each of its GPUs' route to host memory. */
  static int[][] swapRoutes(Links links, int[] gpus) {
    int[][] routes = new int[gpus.length][];
    for (int i = 0; i < gpus.length; i++) {
      routes[i] = links.gpuToHost(gpus[i]);
    }
    return routes;
  }

  /** A node's NICs as one link: count × gbit_per_s / 8, B/s; +∞ (no bound) for a node without NICs. */
  static double nicBytesPerS(NodeProfile p) {
    double bytesPerS = p.nics().count() * p.nics().gbitPerS().value() * 1e9 / 8;
    return bytesPerS > 0 ? bytesPerS : Double.POSITIVE_INFINITY;
  }

  private static double gbPerS(Sourced s) {
    return s == null ? Double.POSITIVE_INFINITY : s.value() * 1e9;
  }
}
