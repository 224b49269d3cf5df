package dev.tokentherm.serving.books;

import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * Maximum of a value over iterations [from, latest], for per-request max TBT without a loop over
 * requests: a stack of suffix maxima (indices increasing, values strictly decreasing), so a query is
 * a binary search and a push pops the smaller values it hides. Its length is the number of suffix
 * maxima, small in practice.
 */
public final class RangeMax {
  private final LongArrayList index = new LongArrayList();
  private final LongArrayList value = new LongArrayList();

  /** Records {@code v} at iteration {@code i} (i increasing). */
  public void push(long i, long v) {
    int n = value.size();
    while (n > 0 && value.getLong(n - 1) <= v) {
      n--;
      value.removeLong(n);
      index.removeLong(n);
    }
    index.add(i);
    value.add(v);
  }

  /** Max of the values pushed at iterations ≥ from; -1 if none. */
  public long maxFrom(long from) {
    int lo = 0;
    int hi = index.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (index.getLong(mid) < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < index.size() ? value.getLong(lo) : -1;
  }
}
