package dev.tokentherm.kv.tier;

import dev.tokentherm.kv.HostMemory;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;

/**
 * One tier's memory below HBM (a node's DRAM or NVMe, or the remote pool): its capacity, the
 * copies it holds (least recently used first) and its traffic counters. A DRAM tier takes its
 * bytes from the node's {@link HostMemory}, the one owner of host memory that swap uses too.
 */
public final class TierStore {
  final int tier;
  final long capacityBytes;
  private final HostMemory host;
  final ObjectLinkedOpenHashSet<TierCopy> copies = new ObjectLinkedOpenHashSet<>();
  /** The replicas' prefix-block tables whose bytes this tier holds. */
  final java.util.ArrayList<TierBlocks> blockTables = new java.util.ArrayList<>();
  long usedBytes;
  long peakBytes;
  long bytesIn;
  long bytesOut;
  long hits;
  long misses;
  long loadNs;

  TierStore(int tier, long capacityBytes, HostMemory host) {
    this.tier = tier;
    this.capacityBytes = capacityBytes;
    this.host = host;
  }

  /** True when {@code bytes} more fit beside what is held (and, for DRAM, beside swap's bytes). */
  boolean fits(long bytes) {
    return usedBytes + bytes <= capacityBytes && (host == null || host.usedBytes() + bytes <= host.capacityBytes());
  }

  /** True when {@code bytes} could fit once every copy here is gone (swap's bytes in DRAM stay). */
  boolean couldFit(long bytes) {
    return bytes <= capacityBytes && (host == null || bytes <= host.capacityBytes() - (host.usedBytes() - usedBytes));
  }

  void add(TierCopy c) {
    if (host != null && !host.reserve(c.bytes)) {
      throw new IllegalStateException("host memory refused " + c.bytes + " B the DRAM tier had checked");
    }
    usedBytes += c.bytes;
    peakBytes = Math.max(peakBytes, usedBytes);
    bytesIn += c.bytes;
    copies.add(c);
  }

  /** Takes {@code bytes} for prefix blocks (the caller made room). */
  void addBlocks(long bytes) {
    if (host != null && !host.reserve(bytes)) {
      throw new IllegalStateException("host memory refused " + bytes + " B the DRAM tier had checked");
    }
    usedBytes += bytes;
    peakBytes = Math.max(peakBytes, usedBytes);
    bytesIn += bytes;
  }

  /** Frees {@code bytes} of prefix blocks; {@code counted} false only under the tier-leak fault. */
  void removeBlocks(long bytes, boolean counted) {
    usedBytes -= bytes;
    if (host != null) {
      host.release(bytes);
    }
    if (counted) {
      bytesOut += bytes;
    }
  }

  /** Frees the copy; {@code counted} false only under the tier-leak fault (its bytes out are lost). */
  void remove(TierCopy c, boolean counted) {
    copies.remove(c);
    usedBytes -= c.bytes;
    if (host != null) {
      host.release(c.bytes);
    }
    if (counted) {
      bytesOut += c.bytes;
    }
  }

  /** Σ bytes of the copies held, recounted from the copies themselves (the conservation law's side). */
  long residentBytes() {
    long sum = 0;
    for (TierCopy c : copies) {
      sum += c.bytes;
    }
    for (TierBlocks t : blockTables) {
      sum += t.sinceNs.size() * t.bytesPerBlock;
    }
    return sum;
  }

  public int tier() {
    return tier;
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  public long usedBytes() {
    return usedBytes;
  }

  public long peakBytes() {
    return peakBytes;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  public double loadS() {
    return loadNs * 1e-9;
  }
}
