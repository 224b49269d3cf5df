package dev.tokentherm.serving.policy;

import java.util.Arrays;

/** One iteration's plan: whether running decodes take part, and each prefilling request's chunk. */
public final class BatchPlan {
  public boolean includeDecodes;
  private long[] chunks = new long[16];
  private int count;

  public void clear(int prefilling) {
    includeDecodes = false;
    if (chunks.length < prefilling) {
      chunks = new long[Math.max(prefilling, chunks.length * 2)];
    }
    Arrays.fill(chunks, 0, prefilling, 0);
    count = prefilling;
  }

  /** Request i (admission order) computes {@code tokens} of its prompt in this iteration. */
  public void chunk(int i, long tokens) {
    chunks[i] = tokens;
  }

  public long chunk(int i) {
    return chunks[i];
  }

  public int prefilling() {
    return count;
  }

  /** Tokens of the iteration: one per decode if decodes take part, plus the chunks. */
  public long tokens(int decodes) {
    long t = includeDecodes ? decodes : 0;
    for (int i = 0; i < count; i++) {
      t += chunks[i];
    }
    return t;
  }
}
