package dev.tokentherm.serving;

/**
 * What a deployment's KV connector (an offload engine: {@code kv.connector}, a connector profile)
 * does with a conversation's KV, as primitives: the connector is the one writer of its KV to the
 * tiers below HBM (eviction then frees HBM without copying, and the {@code write-through} placement
 * adds nothing).
 *
 * <ul>
 *   <li>What it stores: whole chunks of {@code chunkTokens} (the tokens past the last full chunk are
 *       not stored unless {@code storesPartialChunks}: the next turn recomputes them), and the
 *       prompt's KV only unless {@code storesDecodeKv} (the reply's tokens are recomputed too).
 *   <li>When it writes: {@code writesAtPrefillEnd}, the prompt's chunks once its prefill is done
 *       (and, with decode KV stored, everything again when the reply ends); otherwise (block-full,
 *       request-end) everything it stores in one copy when the reply ends. Block-full writes each
 *       block as it fills; the blocks stay in HBM meanwhile, so issuing them together changes only
 *       when the links carry them.
 *   <li>How a load meets the batch: {@code syncLoads}, the replica runs no iteration while one of
 *       its loads is in flight (every running request waits; {@link LoadGate}); otherwise only the
 *       loading request waits.
 * </ul>
 */
public final class ConnectorRules {
  /** No connector: KV goes down only as placement and eviction move it, whole, loaded asynchronously. */
  public static final ConnectorRules NONE = new ConnectorRules(false, 1, true, true, false, false);

  private final boolean active;
  private final long chunkTokens;
  private final boolean storesPartialChunks;
  private final boolean storesDecodeKv;
  private final boolean syncLoads;
  private final boolean writesAtPrefillEnd;

  /**
   * @param chunkTokens tokens per stored unit (the connector's chunk, or the deployment's block)
   * @param writesAtPrefillEnd writes.at prefill-end (else block-full or request-end: at the reply's end)
   */
  public ConnectorRules(long chunkTokens, boolean storesPartialChunks, boolean storesDecodeKv, boolean syncLoads,
      boolean writesAtPrefillEnd) {
    this(true, chunkTokens, storesPartialChunks, storesDecodeKv, syncLoads, writesAtPrefillEnd);
  }

  private ConnectorRules(boolean active, long chunkTokens, boolean storesPartialChunks, boolean storesDecodeKv,
      boolean syncLoads, boolean writesAtPrefillEnd) {
    if (chunkTokens < 1) {
      throw new IllegalArgumentException("chunk of " + chunkTokens + " tokens");
    }
    this.active = active;
    this.chunkTokens = chunkTokens;
    this.storesPartialChunks = storesPartialChunks;
    this.storesDecodeKv = storesDecodeKv;
    this.syncLoads = syncLoads;
    this.writesAtPrefillEnd = writesAtPrefillEnd;
  }

  boolean active() {
    return active;
  }

  boolean syncLoads() {
    return syncLoads;
  }

  /** Whether the prompt's chunks are written when its prefill ends. */
  boolean writesAtPrefillEnd() {
    return active && writesAtPrefillEnd;
  }

  /** Whether a write is issued when the reply ends (decode KV stored, or writes not at the prefill's end). */
  boolean writesAtReplyEnd() {
    return active && (storesDecodeKv || !writesAtPrefillEnd);
  }

  /**
   * Tokens of a turn's KV the connector stores: of the prompt's {@code promptTokens}, or of the
   * whole {@code kvTokens} when it stores decode KV, the whole chunks only unless it stores a
   * partial last chunk.
   */
  long storedTokens(long promptTokens, long kvTokens) {
    long tokens = storesDecodeKv ? kvTokens : promptTokens;
    return storesPartialChunks ? tokens : tokens - tokens % chunkTokens;
  }
}
