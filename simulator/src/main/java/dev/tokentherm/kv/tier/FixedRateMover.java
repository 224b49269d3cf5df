package dev.tokentherm.kv.tier;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The simple {@link TierMover}: each lower tier of a node has one path with a fixed bandwidth, its
 * slowest hop: the replica's GPUs' host links together (each GPU copies its own shard) or the
 * node's device (the NVMe, the NICs, the pool), and a fixed latency; one copy
 * at a time per tier per node, in the order they are started, so a copy takes latency + bytes /
 * bandwidth after the one before it on that path. A copy's end is one engine event; a copy between
 * two lower tiers is timed on the lower one's path.
 */
public final class FixedRateMover implements TierMover, EventHandler {
  private final Engine engine;
  /** Bytes per second of each node's device for each tier ({@code [node][tier]}; HBM unused), and of one GPU's host link. */
  private final double[][] bytesPerS;
  private final double[] hostLinkBytesPerS;
  private final long[] latencyNs;
  private final long[][] freeAtNs;
  private final Long2ObjectOpenHashMap<Done> pending = new Long2ObjectOpenHashMap<>();
  private final Long2ObjectOpenHashMap<long[]> tokens = new Long2ObjectOpenHashMap<>();
  private long nextSerial;

  /**
   * @param bytesPerS per node, per tier ({@link Tiers} numbers): the node's device bandwidth beyond
   *     the host links (DRAM: unbounded), B/s
   * @param hostLinkBytesPerS per node: one GPU's host link, B/s
   * @param latencyNs per tier: the fixed latency of one copy, ns
   */
  public FixedRateMover(Engine engine, double[][] bytesPerS, double[] hostLinkBytesPerS, long[] latencyNs) {
    this.engine = engine;
    this.bytesPerS = bytesPerS;
    this.hostLinkBytesPerS = hostLinkBytesPerS;
    this.latencyNs = latencyNs;
    this.freeAtNs = new long[bytesPerS.length][Tiers.COUNT];
  }

  @Override
  public long start(int fromTier, int toTier, int node, int gpu, int gpus, long bytes, long nowNs, Done done,
      long token) {
    int path = Math.max(fromTier, toTier);
    long begin = Math.max(nowNs, freeAtNs[node][path]);
    long end = begin + latencyNs[path] + Durations.toNanos(bytes / pathBytesPerS(path, node, gpus));
    freeAtNs[node][path] = end;
    long serial = nextSerial++;
    if (done == null) {
      return -1;
    }
    pending.put(serial, done);
    tokens.put(serial, new long[] {token, engine.schedule(end, Phase.STATE, node, this, serial)});
    return serial;
  }

  @Override
  public void cancel(long handle) {
    long[] t = tokens.remove(handle);
    if (t != null) {
      pending.remove(handle);
      engine.cancel(t[1]);
    }
  }

  @Override
  public double estimateS(int fromTier, int toTier, int node, int gpus, long bytes) {
    int path = Math.max(fromTier, toTier);
    return latencyNs[path] * 1e-9 + bytes / pathBytesPerS(path, node, gpus);
  }

  /** The slowest hop: the GPUs' host links together, or the node's device for the tier. */
  private double pathBytesPerS(int path, int node, int gpus) {
    return Math.min(hostLinkBytesPerS[node] * gpus, bytesPerS[node][path]);
  }

  @Override
  public void onEvent(Engine e, long serial) {
    Done done = pending.remove(serial);
    long[] t = tokens.remove(serial);
    done.moved(t[0], e.now());
  }
}
