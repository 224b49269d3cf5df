package dev.tokentherm.workload.trace;

import java.util.Arrays;

/**
 * One request of a trace. Mutable and reused: a reader overwrites it on every
 * {@link TraceReader#next} call, so that streaming a trace allocates nothing per request; copy
 * what you keep.
 */
public final class TraceRecord {
  /** {@link #sessionId()} of a request that belongs to no session. */
  public static final long NO_SESSION = -1;

  /**
   * Prompt tokens that one hash id covers: the Mooncake block of 512 tokens, which is 32 KV-cache
   * blocks of 16 tokens. Hash i covers tokens {@code [512 i, 512 (i + 1))} of the prompt.
   */
  public static final int TOKENS_PER_HASH = 512;

  private long arrivalNs;
  private int inputTokens;
  private int outputTokens;
  private long sessionId = NO_SESSION;
  private String sessionName;
  private int[] hashIds = new int[64];
  private int hashCount;
  private int line;

  /** Arrival in nanoseconds from the trace's zero (see each format for where zero is). */
  public long arrivalNs() {
    return arrivalNs;
  }

  /** Prompt tokens, the conversation's history included where the trace counts it. */
  public int inputTokens() {
    return inputTokens;
  }

  public int outputTokens() {
    return outputTokens;
  }

  /** A dense id (0, 1, 2… in order of first appearance), or {@link #NO_SESSION}. */
  public long sessionId() {
    return sessionId;
  }

  /** The session's name as the trace writes it, or null for a request of its own. */
  public String sessionName() {
    return sessionName;
  }

  /**
   * How many prefix-block hashes this request carries, one per {@link #TOKENS_PER_HASH} prompt
   * tokens (0 where the format has none). Equal hashes in the same position of two requests mean
   * a shared prompt prefix up to there.
   */
  public int hashCount() {
    return hashCount;
  }

  /** The i-th prefix-block hash, {@code 0 ≤ i < hashCount()}. */
  public int hashId(int i) {
    if (i < 0 || i >= hashCount) {
      throw new IndexOutOfBoundsException("hash " + i + " of " + hashCount);
    }
    return hashIds[i];
  }

  /** The hashes as a fresh array (allocates; the per-request path should use {@link #hashId}). */
  public int[] hashIdsCopy() {
    return Arrays.copyOf(hashIds, hashCount);
  }

  /** The line of the trace file this request came from (1-based), for messages downstream. */
  public int line() {
    return line;
  }

  void set(long arrivalNs, int inputTokens, int outputTokens, long sessionId, int line) {
    this.arrivalNs = arrivalNs;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.sessionId = sessionId;
    this.line = line;
    this.sessionName = null;
  }

  void setSessionName(String name) {
    this.sessionName = name;
  }

  void clearHashes() {
    hashCount = 0;
  }

  void addHash(int hash) {
    if (hashCount == hashIds.length) {
      hashIds = Arrays.copyOf(hashIds, hashIds.length * 2); // grows to the longest request, once
    }
    hashIds[hashCount++] = hash;
  }

  @Override
  public String toString() {
    return "TraceRecord{line " + line + ", arrival " + arrivalNs + " ns, in " + inputTokens
        + ", out " + outputTokens + ", session " + sessionId + ", hashes " + hashCount + "}";
  }
}
