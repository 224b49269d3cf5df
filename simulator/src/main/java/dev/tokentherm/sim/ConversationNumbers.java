package dev.tokentherm.sim;

import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * The run's conversation numbers: one counter, drawn in the order conversations start (which the
 * event order fixes), so every run of a scenario numbers its conversations alike.
 */
final class ConversationNumbers {
  private long next;

  /** The next number of the run. */
  long next() {
    return next++;
  }

  /** The numbers of one workload entry with {@code copies} targets. */
  OfEntry ofEntry(int copies) {
    return new OfEntry(copies);
  }

  /**
   * The conversation numbers of one workload entry, shared by its copies (one per target): the
   * n-th conversation a copy starts takes the n-th number, drawn from the run's counter by whichever
   * copy gets there first, so every copy lists the same numbers. With one target, the counter itself.
   */
  final class OfEntry {
    private final boolean shared;
    private final LongArrayList ids = new LongArrayList();

    private OfEntry(int copies) {
      this.shared = copies > 1;
    }

    /** The number of the entry's {@code n}-th conversation. */
    long get(long n) {
      if (!shared) {
        return next++;
      }
      while (ids.size() <= n) {
        ids.add(next++);
      }
      return ids.getLong((int) n);
    }
  }
}
