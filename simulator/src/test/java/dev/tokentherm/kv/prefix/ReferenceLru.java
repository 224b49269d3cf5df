package dev.tokentherm.kv.prefix;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only reference for {@link PrefixCache} without pins, written as plainly as possible. Chain
 * blocks are named by ids given to (parent id, key) pairs ({@link #chainIds}); the cache is a
 * {@link LinkedHashMap} in access order that drops its eldest entry beyond capacity. A request hits
 * its longest prefix whose blocks are all in the map; then all its blocks are put, last block first
 * (so the first block is the most recently used, as vLLM frees blocks in reverse order).
 */
final class ReferenceLru {
  private final LinkedHashMap<Integer, Boolean> lru;

  ReferenceLru(int capacityBlocks) {
    lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
        return size() > capacityBlocks;
      }
    };
  }

  /**
   * Names every block of every chain: equal ids ⇔ equal key and equal parent id (block 0's parent
   * is the root). Keys must lie in [0, 2³²).
   */
  static int[][] chainIds(List<long[]> chains) {
    Long2IntOpenHashMap ids = new Long2IntOpenHashMap();
    ids.defaultReturnValue(-1);
    int[][] out = new int[chains.size()][];
    for (int c = 0; c < out.length; c++) {
      long[] keys = chains.get(c);
      int[] chain = new int[keys.length];
      int parentId = -1;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] < 0 || keys[i] > 0xFFFF_FFFFL) {
          throw new IllegalArgumentException("reference keys must fit in 32 bits: " + keys[i]);
        }
        long edge = ((long) (parentId + 1) << 32) | keys[i];
        int id = ids.get(edge);
        if (id < 0) {
          id = ids.size();
          ids.put(edge, id);
        }
        chain[i] = id;
        parentId = id;
      }
      out[c] = chain;
    }
    return out;
  }

  /** Returns the number of leading blocks of the chain that hit, then puts all its blocks. */
  int request(int[] chain) {
    int hit = 0;
    while (hit < chain.length && lru.containsKey(chain[hit])) {
      hit++;
    }
    for (int i = chain.length - 1; i >= 0; i--) {
      lru.put(chain[i], Boolean.TRUE);
    }
    return hit;
  }

  int size() {
    return lru.size();
  }
}
