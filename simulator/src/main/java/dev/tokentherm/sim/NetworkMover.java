package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.tier.TierMover;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.net.ChunkRate;
import dev.tokentherm.net.Links;
import dev.tokentherm.net.Network;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The {@link TierMover} on the run's shared links: every tier copy is flows on the {@link Network},
 * sharing the links max-min fairly with swap and with each other instead of queueing.
 *
 * <p>A copy that touches HBM is one flow per GPU of the replica, each carrying its shard (bytes /
 * GPUs), and is done when the last of them is delivered. Routes (all of a node's links):
 *
 * <ul>
 *   <li>HBM ↔ DRAM: [the GPU's host link, DRAM];
 *   <li>HBM ↔ NVMe: [host link, DRAM, NVMe read or write]: through host memory, as real offload
 *       (vLLM's offloading connector, LMCache) stages NVMe traffic in a host buffer;
 *   <li>HBM ↔ remote pool: [host link, the NICs, the fabric, the node's pool link] (GPUDirect RDMA);
 *   <li>between two lower tiers (a victim moving down): one flow of all the bytes (no GPU takes
 *       part), e.g. DRAM → NVMe [DRAM, NVMe write], NVMe → remote [DRAM, NVMe read, NICs, fabric, pool].
 * </ul>
 *
 * The remote pool's bandwidth ({@code remote_gb_per_s}, per node) and latency are one link per node
 * of class {@code pool}; DRAM's and NVMe's tier latencies are added once the copy's last flow is
 * delivered ({@link #tierLatencyNs}; the DRAM link's own latency stays 0: swap crosses it too). Remote flows move the
 * replica's KV blocks (one GPU's share of a block per chunk), paying the NICs' per-chunk overhead;
 * the others are one stream.
 */
final class NetworkMover implements TierMover {
  /** Class of the remote pool's links in links.csv. */
  static final String POOL = "pool";

  private final Engine engine;
  private final Links links;
  private final Network network;
  /** Per node, its link to the remote pool (-1: no pool). */
  private final int[] poolLink;
  /** Per node, the fabric link its remote-pool traffic crosses (null: none). */
  private final int[] fabricLink;
  /** Per tier, latency added when a copy's last flow is delivered, ns (the pool's is on its link). */
  private final long[] addedLatencyNs;
  /** Per first GPU of a replica: its GPUs and one GPU's share of a KV block, bytes (the remote chunk). */
  private final int[][] gpusOf;
  private final double[] chunkBytesOf;
  private final Long2ObjectOpenHashMap<Copy> pending = new Long2ObjectOpenHashMap<>();
  private long nextSerial;
  /**
   * Background copies (no one waits for them: a demoted prefix block, a victim moving down) per
   * route key: while one is in flight, later ones wait in a backlog of bytes that starts as one copy
   * when it ends, so a burst of block spills is a few flows, not one flow per block (the solver's
   * cost grows with the flows in flight).
   */
  private final it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap backlog = new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap();
  private final it.unimi.dsi.fastutil.longs.LongOpenHashSet busy = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();

  NetworkMover(Engine engine, Links links, int[] poolLink, int[] fabricLink, long[] addedLatencyNs, int[][] gpusOf,
      double[] chunkBytesOf) {
    this.engine = engine;
    this.links = links;
    this.network = links.network();
    this.poolLink = poolLink;
    this.fabricLink = fabricLink;
    this.addedLatencyNs = addedLatencyNs;
    this.gpusOf = gpusOf;
    this.chunkBytesOf = chunkBytesOf;
  }

  /** One copy in flight: flows left to deliver, then its tier latency, then {@code done}. */
  private final class Copy implements Network.FlowDone, EventHandler {
    private final long serial;
    private final long[] flows;
    private final Done done;
    private final long token;
    private final long latencyNs;
    private final int node;
    private int left;
    private long latencyHandle = Engine.NO_HANDLE;
    /** A background copy's route key and ends (unused when someone waits for it). */
    private long backgroundKey;
    private int fromTier;
    private int toTier;
    private int gpu;

    private Copy(long serial, int flowCount, Done done, long token, long latencyNs, int node) {
      this.serial = serial;
      this.flows = new long[flowCount];
      this.done = done;
      this.token = token;
      this.latencyNs = latencyNs;
      this.node = node;
      this.left = flowCount;
    }

    @Override
    public void flowDone(long flow, long nowNs) {
      if (--left > 0) {
        return;
      }
      if (latencyNs == 0) {
        finish(nowNs);
      } else {
        latencyHandle = engine.schedule(nowNs + latencyNs, Phase.STATE, node, this, 0);
      }
    }

    @Override
    public void onEvent(Engine e, long arg) {
      finish(e.now());
    }

    private void finish(long nowNs) {
      if (done != null) {
        pending.remove(serial);
        done.moved(token, nowNs);
      } else {
        backgroundEnded(backgroundKey, fromTier, toTier, node, gpu);
      }
    }

    private void cancel() {
      for (long f : flows) {
        network.cancel(f);
      }
      if (latencyHandle != Engine.NO_HANDLE) {
        engine.cancel(latencyHandle);
      }
    }
  }

  @Override
  public long start(int fromTier, int toTier, int node, int gpu, int gpus, long bytes, long nowNs, Done done,
      long token) {
    if (done == null) {
      long key = backgroundKey(fromTier, toTier, node, gpu);
      if (busy.contains(key)) {
        backlog.addTo(key, bytes);
        return -1;
      }
      busy.add(key);
      Copy copy = launch(fromTier, toTier, node, gpu, bytes, null, 0);
      copy.backgroundKey = key;
      copy.fromTier = fromTier;
      copy.toTier = toTier;
      copy.gpu = gpu;
      return -1;
    }
    return launch(fromTier, toTier, node, gpu, bytes, done, token).serial;
  }

  /** A background copy ended: the bytes that waited behind it go as the next one. */
  private void backgroundEnded(long key, int fromTier, int toTier, int node, int gpu) {
    long waiting = backlog.remove(key);
    if (waiting > 0) {
      Copy next = launch(fromTier, toTier, node, gpu, waiting, null, 0);
      next.backgroundKey = key;
      next.fromTier = fromTier;
      next.toTier = toTier;
      next.gpu = gpu;
    } else {
      busy.remove(key);
    }
  }

  /** Background copies share a route when their tiers and their GPU (or, between lower tiers, node) do. */
  private static long backgroundKey(int fromTier, int toTier, int node, int gpu) {
    boolean viaGpus = fromTier == Tiers.HBM || toTier == Tiers.HBM;
    return ((long) (viaGpus ? gpu : -1 - node) << 8) | (fromTier << 4) | toTier;
  }

  private Copy launch(int fromTier, int toTier, int node, int gpu, long bytes, Done done, long token) {
    boolean viaGpus = fromTier == Tiers.HBM || toTier == Tiers.HBM;
    int[] replicaGpus = gpusOf[gpu];
    int flowCount = viaGpus ? replicaGpus.length : 1;
    double chunk = chunkBytes(fromTier, toTier, gpu);
    long serial = nextSerial++;
    Copy copy = new Copy(serial, flowCount, done, token, tierLatencyNs(fromTier, toTier), node);
    if (done != null) {
      pending.put(serial, copy);
    }
    long share = bytes / flowCount;
    long rest = bytes % flowCount;
    for (int i = 0; i < flowCount; i++) {
      int[] route = route(fromTier, toTier, node, viaGpus ? replicaGpus[i] : -1);
      copy.flows[i] = network.startFlow(route, share + (i < rest ? 1 : 0), chunk, copy);
    }
    return copy;
  }

  @Override
  public void cancel(long handle) {
    Copy copy = pending.remove(handle);
    if (copy != null) {
      copy.cancel();
    }
  }

  /**
   * The copy's time on idle links: the route's latency and the tier's, plus one flow's bytes over its
   * slowest share: a GPU's host link carries its own flow alone, a node link all the copy's flows
   * (equal shares), and no flow outruns its chunk cap. With one GPU: latency + bytes / the slowest link.
   */
  @Override
  public double estimateS(int fromTier, int toTier, int node, int gpu, int gpus, long bytes) {
    boolean viaGpus = fromTier == Tiers.HBM || toTier == Tiers.HBM;
    int flowCount = viaGpus ? gpusOf[gpu].length : 1;
    int[] route = route(fromTier, toTier, node, viaGpus ? gpu : -1);
    double chunk = chunkBytes(fromTier, toTier, gpu);
    long latencyNs = tierLatencyNs(fromTier, toTier);
    double rate = Double.POSITIVE_INFINITY;
    for (int k = 0; k < route.length; k++) {
      int l = route[k];
      latencyNs += network.latencyNs(l);
      double cap = network.capacityBytesPerS(l);
      double share = viaGpus && k == 0 ? cap : cap / flowCount;
      rate = Math.min(rate, Math.min(share, ChunkRate.bytesPerS(cap, network.chunkOverheadNs(l), chunk)));
    }
    return latencyNs * 1e-9 + (double) bytes / flowCount / rate;
  }

  /**
   * The tier latencies a copy pays once, after its last flow: each end's as its key says, NVMe's
   * for a copy to or from the NVMe, DRAM's (a DMA launch) for a copy between HBM and DRAM only, so a
   * victim moving from NVMe to the remote pool pays NVMe's here and the pool's on its link, and one
   * from DRAM to NVMe NVMe's alone. The links' own latencies (the pool's, the fabric's) come on top,
   * per flow, from the {@link Network}.
   */
  long tierLatencyNs(int fromTier, int toTier) {
    boolean viaGpus = fromTier == Tiers.HBM || toTier == Tiers.HBM;
    return endLatencyNs(fromTier, viaGpus) + endLatencyNs(toTier, viaGpus);
  }

  private long endLatencyNs(int tier, boolean viaGpus) {
    return tier == Tiers.HBM || tier == Tiers.DRAM && !viaGpus ? 0 : addedLatencyNs[tier];
  }

  /** Remote copies move one GPU's share of a KV block per chunk; the rest one stream. */
  private double chunkBytes(int fromTier, int toTier, int gpu) {
    return fromTier == Tiers.REMOTE || toTier == Tiers.REMOTE ? chunkBytesOf[gpu] : Double.POSITIVE_INFINITY;
  }

  /** The links between two tiers of {@code node}; {@code gpu} ≥ 0 when one end is its HBM. */
  private int[] route(int fromTier, int toTier, int node, int gpu) {
    int[] r = new int[6];
    int n = 0;
    if (gpu >= 0) {
      r[n++] = links.hostLink(gpu);
    }
    n = addSide(r, n, fromTier, node, true);
    n = addSide(r, n, toTier, node, false);
    return java.util.Arrays.copyOf(r, n);
  }

  /**
   * A tier's own links: DRAM [dram]; NVMe [dram, nvme-read or write] (staged in host memory); remote
   * [nic, fabric, pool].
   */
  private int addSide(int[] r, int n, int tier, int node, boolean reading) {
    switch (tier) {
      case Tiers.DRAM -> n = addOnce(r, n, links.dram(node));
      case Tiers.NVME -> {
        n = addOnce(r, n, links.dram(node));
        n = addOnce(r, n, reading ? links.nvmeRead(node) : links.nvmeWrite(node));
      }
      case Tiers.REMOTE -> {
        n = addOnce(r, n, links.nic(node));
        if (fabricLink != null) {
          n = addOnce(r, n, fabricLink[node]);
        }
        n = addOnce(r, n, poolLink[node]);
      }
      default -> { } // HBM: the host link, added by the caller
    }
    return n;
  }

  private static int addOnce(int[] r, int n, int link) {
    for (int i = 0; i < n; i++) {
      if (r[i] == link) {
        return n;
      }
    }
    r[n] = link;
    return n + 1;
  }
}
