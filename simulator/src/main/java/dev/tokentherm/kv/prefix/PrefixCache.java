package dev.tokentherm.kv.prefix;

import java.util.Arrays;

/**
 * Prefix caching of KV blocks with vLLM's semantics, over a fixed number of blocks or unbounded.
 *
 * <p><b>Blocks and keys.</b> A block holds {@link #blockTokens()} tokens of KV. The caller names
 * the blocks of a prompt by a chain of {@code long} keys (block 0 first); this class never sees
 * tokens. Blocks form a radix tree (a trie of blocks): block {@code i} of a chain is the child, keyed
 * by {@code keys[i]}, of block {@code i - 1} (block 0 is a child of the root), so a key means
 * nothing on its own: the same key under two different parents names two different blocks. Keys
 * may therefore be plain content hashes of one block, or vLLM-style chain hashes that already fold
 * in the parent; either works. (For Mooncake traces, whose hash ids name 512-token blocks, see
 * {@link BlockKeys}.) One tree node is one physical block: a node's index is its block id, and the
 * tree is stored in parallel primitive arrays, with an open-addressing table from (parent, key) to
 * node, so no operation allocates after warm-up and each costs O(1) per block of its chain.
 *
 * <p><b>Life of a block.</b>
 * <ul>
 *   <li>{@link #acquire} pins a chain for a running request: the blocks already present (cached or
 *       being computed) are shared and their reference count goes up; the missing ones are allocated
 *       <i>pending</i> (allocated, not yet reusable), evicting unpinned cached blocks if needed. It
 *       returns false, changing nothing, when that would need more blocks than are free or
 *       evictable: pinned blocks are never evicted.
 *   <li>{@link #insert} records that a chain's KV has been computed (its prefill completed): its
 *       blocks become cached and reusable at once, and are touched (most recently used, the first
 *       block the most recent, as vLLM frees a request's blocks in reverse order). Blocks not yet
 *       present are allocated (evicting as needed) and are evictable at once unless pinned; when the
 *       whole chain does not fit, its longest prefix that fits is cached.
 *   <li>{@link #release} unpins a chain acquired earlier, last block first: a cached block whose count
 *       reaches zero becomes evictable (at the most-recently-used end); a pending one (its request
 *       was aborted or preempted before its prefill completed) is freed at once.
 * </ul>
 * {@link #match} (pure) and {@link #lookup} (counts hit and miss tokens) return the longest cached
 * prefix, stopping at the first block that is absent or still pending.
 *
 * <p><b>Eviction.</b> Least recently used among unpinned cached blocks, where a block is used when
 * it is inserted or touched by {@link #insert} or when its last pin is released (vLLM's free-block
 * queue order). Because every operation works on a whole chain from the root and touches it last
 * block first, a parent is always at least as recent as each of its children, and a pinned block's
 * parent is pinned; so the least recently used evictable block is always a leaf of the tree, and
 * plain LRU coincides with leaf-first LRU (as SGLang's radix cache evicts). The tree never holds a
 * block whose parent is gone: no orphans, no unreachable blocks taking space. With no pins, the
 * cached set after each insert is exactly the {@code capacity} most recently used distinct chain
 * blocks (the LRU stack property), so hits never decrease as capacity grows. A caller that breaks
 * the rules below (e.g. releases a chain it never acquired) gets an {@link IllegalStateException}.
 *
 * <p><b>Deviation from vLLM.</b> A block that one request is computing (pending) is shared by a
 * second request acquiring the same chain, rather than duplicated: it counts as a miss for both
 * (hits stop at pending blocks) but occupies one block.
 *
 * <p><b>Counters</b>: {@code blocksAllocated() == blocksFreed() + liveBlocks()} always;
 * {@code liveBlocks() == pinnedBlocks() + evictableBlocks()}; evictions are cached blocks dropped to
 * make room (also counted in freed). {@link #checkInvariants()} verifies the whole structure (O(n),
 * for tests and run-time checks). Not thread-safe.
 *
 * <p>Rules for callers: {@code release(keys, n)} only what {@code acquire(keys, n)} pinned (the same
 * chain and count), once per successful acquire.
 */
public final class PrefixCache {
  /** The capacity of an unbounded cache. */
  public static final int UNBOUNDED = -1;

  private static final int ROOT = -1;
  private static final int NIL = -1;
  private static final byte FREE = 0;
  private static final byte PENDING = 1;
  private static final byte CACHED = 2;

  private final int capacity; // UNBOUNDED or >= 0
  private final int blockTokens;

  // per node (block id)
  private long[] key;
  private int[] parent;
  private int[] hashes; // hash(parent, key), kept for table removal and growth
  private int[] refs;
  private int[] children;
  private int[] prev;
  private int[] next;
  private byte[] state;
  private long[] usedAtNs; // when the block joined the LRU list (see setClock)

  private int highWater; // node slots ever used
  private int[] freeSlots;
  private int freeTop;

  // (parent, key) -> node: linear probing, node indices, NIL when empty
  private int[] table;
  private int mask;

  // LRU list of unpinned cached blocks: head = least recently used
  private int head = NIL;
  private int tail = NIL;
  private int lruSize;

  private int live;
  private int pinned;
  private long allocated;
  private long freed;
  private long evictions;
  private long lastEvictedKey;
  private long lookups;
  private long hitTokens;
  private long missTokens;

  private int[] path = new int[64];

  /**
   * A cache of {@code capacityBlocks} blocks ({@link #UNBOUNDED} for no limit) of {@code
   * blockTokens} tokens each.
   */
  public PrefixCache(int capacityBlocks, int blockTokens) {
    if (capacityBlocks < 0 && capacityBlocks != UNBOUNDED) {
      throw new IllegalArgumentException("capacity must be >= 0 blocks or UNBOUNDED: " + capacityBlocks);
    }
    if (blockTokens <= 0) {
      throw new IllegalArgumentException("block_tokens must be > 0: " + blockTokens);
    }
    this.capacity = capacityBlocks;
    this.blockTokens = blockTokens;
    int slots = capacityBlocks == UNBOUNDED ? 1024 : capacityBlocks;
    allocateNodeArrays(slots);
    int tableLength = Integer.highestOneBit(Math.max(16, slots) * 2 - 1) << 1;
    table = new int[tableLength];
    Arrays.fill(table, NIL);
    mask = tableLength - 1;
  }

  /** An unbounded cache of {@code blockTokens}-token blocks. */
  public static PrefixCache unbounded(int blockTokens) {
    return new PrefixCache(UNBOUNDED, blockTokens);
  }

  private void allocateNodeArrays(int slots) {
    key = new long[slots];
    parent = new int[slots];
    hashes = new int[slots];
    refs = new int[slots];
    children = new int[slots];
    prev = new int[slots];
    next = new int[slots];
    state = new byte[slots];
    usedAtNs = new long[slots];
    freeSlots = new int[Math.max(16, Math.min(slots, 1024))];
  }

  // ---------------------------------------------------------------- queries

  /** Length in blocks of the longest cached (computed) prefix of the chain; changes nothing. */
  public int match(long[] keys, int count) {
    checkCount(keys, count);
    int p = ROOT;
    int m = 0;
    while (m < count) {
      int n = find(p, keys[m]);
      if (n == NIL || state[n] != CACHED) {
        break;
      }
      p = n;
      m++;
    }
    return m;
  }

  /**
   * {@link #match} plus the counters: of a prompt of {@code promptTokens} tokens whose blocks are
   * {@code keys}, min(matched blocks × block tokens, promptTokens) tokens hit and the rest miss.
   * Returns the hit tokens.
   */
  public long lookup(long[] keys, int count, long promptTokens) {
    if (promptTokens < 0) {
      throw new IllegalArgumentException("prompt tokens must be >= 0: " + promptTokens);
    }
    long hit = Math.min((long) match(keys, count) * blockTokens, promptTokens);
    lookups++;
    hitTokens += hit;
    missTokens += promptTokens - hit;
    return hit;
  }

  /** Length in blocks of the longest prefix of the chain that is present, cached or pending. */
  public int present(long[] keys, int count) {
    checkCount(keys, count);
    int p = ROOT;
    int m = 0;
    while (m < count) {
      int n = find(p, keys[m]);
      if (n == NIL) {
        break;
      }
      p = n;
      m++;
    }
    return m;
  }

  // ------------------------------------------------------------- operations

  /** Unpinned blocks on the prefix the last {@link #walkPresent} found. */
  private int walkUnpinned;

  /**
   * Follows the chain from the root through present blocks (cached or pending) into {@link #path};
   * returns how many it found and counts the unpinned ones in {@link #walkUnpinned}.
   */
  private int walkPresent(long[] keys, int count) {
    checkCount(keys, count);
    ensurePath(count);
    int p = ROOT;
    int m = 0;
    walkUnpinned = 0;
    while (m < count) {
      int n = find(p, keys[m]);
      if (n == NIL) {
        break;
      }
      path[m] = n;
      if (refs[n] == 0) {
        walkUnpinned++;
      }
      p = n;
      m++;
    }
    return m;
  }

  /**
   * Pins the chain's {@code count} blocks for a running request: present blocks are shared, the
   * missing ones allocated pending. Returns false, changing nothing, if the missing blocks exceed
   * the free blocks plus the evictable ones outside this chain.
   */
  public boolean acquire(long[] keys, int count) {
    int m = walkPresent(keys, count);
    int p = m == 0 ? ROOT : path[m - 1];
    int unpinnedOnPath = walkUnpinned;
    if (count - m > room(unpinnedOnPath)) {
      return false;
    }
    for (int i = 0; i < m; i++) {
      int n = path[i];
      if (refs[n]++ == 0) {
        unlink(n);
        pinned++;
      }
    }
    for (int i = m; i < count; i++) {
      int n = allocate();
      attach(n, p, keys[i], PENDING);
      refs[n] = 1;
      pinned++;
      p = n;
    }
    return true;
  }

  /**
   * Records that the chain's KV is computed: its blocks become cached (reusable at once) and most
   * recently used, the first block the most recent; missing blocks are allocated, evicting least
   * recently used unpinned blocks. If the chain does not fit beside the pinned blocks, its longest
   * prefix that fits is cached. Returns the number of the chain's blocks cached afterwards.
   */
  public int insert(long[] keys, int count) {
    int m = walkPresent(keys, count);
    int p = m == 0 ? ROOT : path[m - 1];
    int unpinnedOnPath = walkUnpinned;
    int k = m + (int) Math.min(count - m, room(unpinnedOnPath));
    // take the present part out of the LRU list while blocks are allocated (the evictions take at
    // most evictable - unpinnedOnPath blocks); new blocks join the list only at the end
    for (int i = 0; i < m; i++) {
      int n = path[i];
      state[n] = CACHED;
      if (refs[n] == 0) {
        unlink(n);
      }
    }
    for (int i = m; i < k; i++) {
      int n = allocate();
      attach(n, p, keys[i], CACHED);
      path[i] = n;
      p = n;
    }
    // recency: last block first, so the first block is the most recently used
    for (int i = k - 1; i >= 0; i--) {
      int n = path[i];
      if (refs[n] == 0) {
        appendTail(n);
      }
    }
    return k;
  }

  /**
   * Unpins a chain pinned by {@link #acquire} with the same keys and count, last block first:
   * cached blocks whose count reaches zero become evictable (most recently used), pending ones are
   * freed.
   */
  public void release(long[] keys, int count) {
    checkCount(keys, count);
    ensurePath(count);
    int p = ROOT;
    for (int i = 0; i < count; i++) {
      int n = find(p, keys[i]);
      if (n == NIL || refs[n] <= 0) {
        throw new IllegalStateException("release of block " + i + " of a chain that is not pinned");
      }
      path[i] = n;
      p = n;
    }
    for (int i = count - 1; i >= 0; i--) {
      int n = path[i];
      if (--refs[n] == 0) {
        pinned--;
        if (state[n] == CACHED) {
          appendTail(n);
        } else {
          if (children[n] != 0) {
            throw new IllegalStateException("pending block " + n + " released while its children live");
          }
          removeNode(n);
        }
      }
    }
  }

  // ------------------------------------------- sharing a pool with other tenants

  private long clockNs;

  /**
   * Sets the time stamped on blocks that become evictable from now on (simulated ns, never
   * decreasing), so that an owner sharing one pool between this cache and other tenants can
   * compare ages ({@link #oldestEvictableNs}).
   */
  public void setClock(long nowNs) {
    clockNs = nowNs;
  }

  /** When the least recently used evictable block became evictable, or Long.MAX_VALUE if none. */
  public long oldestEvictableNs() {
    return head == NIL ? Long.MAX_VALUE : usedAtNs[head];
  }

  /**
   * Evicts the least recently used unpinned cached block (always a leaf, see the class comment);
   * false if none is evictable. For an owner that enforces capacity itself (an unbounded cache
   * inside a shared pool).
   */
  public boolean evictLeastRecent() {
    int victim = head;
    if (victim == NIL) {
      return false;
    }
    if (children[victim] != 0) {
      throw new IllegalStateException("least recently used block " + victim + " has cached children");
    }
    lastEvictedKey = key[victim];
    unlink(victim);
    removeNode(victim);
    evictions++;
    return true;
  }

  /** The key of the block {@link #evictLeastRecent} took last (its KV may go down a tier). */
  public long lastEvictedKey() {
    return lastEvictedKey;
  }

  /** Unpinned blocks of the chain's present prefix (cached blocks that eviction could take). */
  public int presentUnpinned(long[] keys, int count) {
    walkPresent(keys, count);
    return walkUnpinned;
  }

  // --------------------------------------------------------------- counters

  public int blockTokens() {
    return blockTokens;
  }

  public boolean bounded() {
    return capacity != UNBOUNDED;
  }

  /** The capacity in blocks, or {@link #UNBOUNDED}. */
  public int capacityBlocks() {
    return capacity;
  }

  /** Blocks neither cached nor pinned (Long.MAX_VALUE when unbounded). */
  public long freeBlocks() {
    return capacity == UNBOUNDED ? Long.MAX_VALUE : capacity - live;
  }

  public int liveBlocks() {
    return live;
  }

  public int pinnedBlocks() {
    return pinned;
  }

  public int evictableBlocks() {
    return lruSize;
  }

  public long blocksAllocated() {
    return allocated;
  }

  public long blocksFreed() {
    return freed;
  }

  public long evictions() {
    return evictions;
  }

  public long lookups() {
    return lookups;
  }

  public long hitTokens() {
    return hitTokens;
  }

  public long missTokens() {
    return missTokens;
  }

  /** Hit tokens ÷ looked-up tokens, 0 before any lookup. */
  public double hitRatio() {
    long total = hitTokens + missTokens;
    return total == 0 ? 0.0 : (double) hitTokens / total;
  }

  // -------------------------------------------------------------- internals

  private static void checkCount(long[] keys, int count) {
    if (count < 0 || count > keys.length) {
      throw new IllegalArgumentException("count " + count + " outside [0, " + keys.length + "]");
    }
  }

  private void ensurePath(int count) {
    if (path.length < count) {
      path = new int[Math.max(count, path.length * 2)];
    }
  }

  /** Blocks obtainable without touching pins or the given number of evictable blocks on a path. */
  private long room(int unpinnedOnPath) {
    if (capacity == UNBOUNDED) {
      return Long.MAX_VALUE;
    }
    return (long) (capacity - live) + lruSize - unpinnedOnPath;
  }

  /** A free node slot, evicting the least recently used unpinned block if the cache is full. */
  private int allocate() {
    int n;
    if (capacity != UNBOUNDED && live == capacity) {
      int victim = head;
      if (victim == NIL) {
        throw new IllegalStateException("no evictable block (caller checked room)");
      }
      if (children[victim] != 0) {
        throw new IllegalStateException("least recently used block " + victim
            + " has cached children: a chain was released or touched out of order");
      }
      unlink(victim);
      removeNode(victim);
      evictions++;
    }
    if (freeTop > 0) {
      n = freeSlots[--freeTop];
    } else {
      if (highWater == key.length) {
        growNodes();
      }
      n = highWater++;
    }
    live++;
    allocated++;
    if (capacity == UNBOUNDED && (long) live * 2 > table.length) {
      rehash(table.length * 2);
    }
    return n;
  }

  private void attach(int n, int p, long k, byte s) {
    key[n] = k;
    parent[n] = p;
    hashes[n] = hash(p, k);
    refs[n] = 0;
    children[n] = 0;
    prev[n] = NIL;
    next[n] = NIL;
    state[n] = s;
    if (p != ROOT) {
      children[p]++;
    }
    tableInsert(n);
  }

  /** Frees a leaf node that is not in the LRU list. */
  private void removeNode(int n) {
    tableRemove(n);
    int p = parent[n];
    if (p != ROOT) {
      children[p]--;
    }
    state[n] = FREE;
    if (freeTop == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeTop++] = n;
    live--;
    freed++;
  }

  private void growNodes() {
    int size = key.length * 2;
    key = Arrays.copyOf(key, size);
    parent = Arrays.copyOf(parent, size);
    hashes = Arrays.copyOf(hashes, size);
    refs = Arrays.copyOf(refs, size);
    children = Arrays.copyOf(children, size);
    prev = Arrays.copyOf(prev, size);
    next = Arrays.copyOf(next, size);
    state = Arrays.copyOf(state, size);
    usedAtNs = Arrays.copyOf(usedAtNs, size);
  }

  // LRU list

  private void unlink(int n) {
    int a = prev[n];
    int b = next[n];
    if (a == NIL) {
      head = b;
    } else {
      next[a] = b;
    }
    if (b == NIL) {
      tail = a;
    } else {
      prev[b] = a;
    }
    prev[n] = NIL;
    next[n] = NIL;
    lruSize--;
  }

  private void appendTail(int n) {
    usedAtNs[n] = clockNs;
    prev[n] = tail;
    next[n] = NIL;
    if (tail == NIL) {
      head = n;
    } else {
      next[tail] = n;
    }
    tail = n;
    lruSize++;
  }

  private void moveToTail(int n) {
    if (tail != n) {
      unlink(n);
      appendTail(n);
    }
  }

  // (parent, key) -> node table

  private static int hash(int p, long k) {
    long h = k * 0x9E3779B97F4A7C15L + p;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return (int) h;
  }

  private int find(int p, long k) {
    int i = hash(p, k) & mask;
    while (true) {
      int n = table[i];
      if (n == NIL) {
        return NIL;
      }
      if (key[n] == k && parent[n] == p) {
        return n;
      }
      i = (i + 1) & mask;
    }
  }

  private void tableInsert(int n) {
    int i = hashes[n] & mask;
    while (table[i] != NIL) {
      i = (i + 1) & mask;
    }
    table[i] = n;
  }

  /** Removes node n, shifting later entries of its probe run back (no tombstones). */
  private void tableRemove(int n) {
    int i = hashes[n] & mask;
    while (table[i] != n) {
      i = (i + 1) & mask;
    }
    int gap = i;
    int j = (i + 1) & mask;
    while (true) {
      int m = table[j];
      if (m == NIL) {
        break;
      }
      int home = hashes[m] & mask;
      // m may move into the gap iff its home is not in (gap, j] cyclically
      boolean homeInRange = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
      if (!homeInRange) {
        table[gap] = m;
        gap = j;
      }
      j = (j + 1) & mask;
    }
    table[gap] = NIL;
  }

  private void rehash(int length) {
    table = new int[length];
    Arrays.fill(table, NIL);
    mask = length - 1;
    for (int n = 0; n < highWater; n++) {
      if (state[n] != FREE) {
        tableInsert(n);
      }
    }
  }

  // ------------------------------------------------------------- invariants

  /**
   * Verifies the whole structure in O(n): the counters' identities, the tree (every block's parent
   * present, cached blocks' parents cached, pins no deeper than their parents' pins), the table,
   * and the LRU list (exactly the unpinned blocks, each parent more recent than its children).
   * Throws {@link IllegalStateException} naming the first violation.
   */
  public void checkInvariants() {
    if (allocated != freed + live) {
      fail("allocated " + allocated + " != freed " + freed + " + live " + live);
    }
    if (capacity != UNBOUNDED && live > capacity) {
      fail("live " + live + " > capacity " + capacity);
    }
    int[] childCount = new int[highWater];
    int liveCount = 0;
    int pinnedCount = 0;
    for (int n = 0; n < highWater; n++) {
      if (state[n] == FREE) {
        continue;
      }
      liveCount++;
      if (refs[n] < 0) {
        fail("block " + n + " has refs " + refs[n]);
      }
      if (refs[n] > 0) {
        pinnedCount++;
      } else if (state[n] != CACHED) {
        fail("pending block " + n + " is not pinned");
      }
      int p = parent[n];
      if (p != ROOT) {
        if (p < 0 || p >= highWater || state[p] == FREE) {
          fail("block " + n + " has a missing parent " + p);
        }
        childCount[p]++;
        if (state[n] == CACHED && state[p] != CACHED) {
          fail("cached block " + n + " under pending parent " + p);
        }
        if (refs[n] > refs[p]) {
          fail("block " + n + " pinned " + refs[n] + " times, its parent " + refs[p]);
        }
      }
      if (hashes[n] != hash(p, key[n]) || find(p, key[n]) != n) {
        fail("block " + n + " not found in the table");
      }
    }
    if (liveCount != live || pinnedCount != pinned) {
      fail("live/pinned counts " + live + "/" + pinned + " vs " + liveCount + "/" + pinnedCount);
    }
    int tableCount = 0;
    for (int t : table) {
      if (t != NIL) {
        tableCount++;
      }
    }
    if (tableCount != live) {
      fail("table holds " + tableCount + " blocks, live " + live);
    }
    int[] position = new int[highWater];
    Arrays.fill(position, -1);
    int pos = 0;
    int last = NIL;
    for (int n = head; n != NIL; n = next[n]) {
      if (state[n] != CACHED || refs[n] != 0) {
        fail("block " + n + " in the LRU list is pinned or not cached");
      }
      if (prev[n] != last || position[n] >= 0) {
        fail("LRU list broken at " + n);
      }
      position[n] = pos++;
      last = n;
    }
    if (last != tail || pos != lruSize || lruSize != live - pinned) {
      fail("LRU list size " + pos + ", recorded " + lruSize + ", expected " + (live - pinned));
    }
    for (int n = 0; n < highWater; n++) {
      if (state[n] == FREE) {
        continue;
      }
      if (childCount[n] != children[n]) {
        fail("block " + n + " records " + children[n] + " children, has " + childCount[n]);
      }
      int p = parent[n];
      if (p != ROOT && position[n] >= 0 && position[p] >= 0 && position[p] < position[n]) {
        fail("parent " + p + " less recently used than its child " + n);
      }
    }
  }

  private static void fail(String message) {
    throw new IllegalStateException("prefix cache: " + message);
  }
}
