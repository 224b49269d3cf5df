package dev.tokentherm.kv.tier;

/**
 * The seam through which every KV copy between tiers is timed: a load from a lower tier into a
 * replica's HBM, a demotion (HBM or a lower tier to the next one down), a write-through copy. The
 * caller keeps the accounting of bytes per tier; the mover only says when the copy is done. All
 * transfer timing lives behind this one interface; the run's is sim's NetworkMover: flows on the
 * links shared max-min fairly with swap ({@code net.Network}).
 */
public interface TierMover {
  /** Called once when a copy is done (never for a cancelled one). */
  interface Done {
    void moved(long token, long nowNs);
  }

  /**
   * Starts copying {@code bytes} (all of the replica's GPUs' shards together) from tier {@code
   * fromTier} to tier {@code toTier} ({@link Tiers} numbers) for the replica whose first GPU is
   * {@code gpu} on node {@code node}, whose {@code gpus} GPUs copy their shards in parallel; {@code
   * done} (if not null) hears {@code token} when it ends.
   *
   * @return a handle for {@link #cancel}
   */
  long start(int fromTier, int toTier, int node, int gpu, int gpus, long bytes, long nowNs, Done done, long token);

  /** Calls off a copy not yet done (its replica shut down): {@code done} is not called. */
  void cancel(long handle);

  /** Seconds a copy like {@link #start}'s would take on idle links (the auto reuse decision's estimate). */
  double estimateS(int fromTier, int toTier, int node, int gpu, int gpus, long bytes);
}
