package dev.tokentherm.kv;

/**
 * A node's host DRAM as the home of swapped-out KV, shared by the replicas on the node: a swap
 * reserves the bytes of all its GPUs' shards and frees them when the KV is back on the GPUs.
 */
public final class HostMemory {
  private final long capacityBytes;
  private long usedBytes;
  private long peakBytes;

  public HostMemory(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Reserves {@code bytes}; false (nothing reserved) if they do not fit beside what is held. */
  public boolean reserve(long bytes) {
    if (bytes > capacityBytes - usedBytes) {
      return false;
    }
    usedBytes += bytes;
    peakBytes = Math.max(peakBytes, usedBytes);
    return true;
  }

  public void release(long bytes) {
    if (bytes < 0 || bytes > usedBytes) {
      throw new IllegalStateException("release " + bytes + " B of host memory with " + usedBytes + " B held");
    }
    usedBytes -= bytes;
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
}
