package dev.tokentherm.kv;

/**
 * The KV blocks of one replica as counters: allocations and frees are counted so that allocated =
 * freed + live can be checked at any time. Blocks are owned by conversations' KV segments, not
 * tracked one by one.
 */
public final class BlockPool {
  private final long capacity;
  private long live;
  private long allocated;
  private long freed;
  private long peakLive;

  public BlockPool(long capacity) {
    this.capacity = capacity;
  }

  public long capacity() {
    return capacity;
  }

  public long free() {
    return capacity - live;
  }

  public long live() {
    return live;
  }

  public long allocatedTotal() {
    return allocated;
  }

  public long freedTotal() {
    return freed;
  }

  public long peakLive() {
    return peakLive;
  }

  public void allocate(long blocks) {
    if (blocks < 0 || blocks > free()) {
      throw new IllegalStateException("allocate " + blocks + " blocks with " + free() + " free");
    }
    live += blocks;
    allocated += blocks;
    peakLive = Math.max(peakLive, live);
  }

  public void release(long blocks) {
    if (blocks < 0 || blocks > live) {
      throw new IllegalStateException("release " + blocks + " blocks with " + live + " live");
    }
    live -= blocks;
    freed += blocks;
  }
}
