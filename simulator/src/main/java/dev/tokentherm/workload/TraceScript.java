package dev.tokentherm.workload;

import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;

/**
 * The turns of one traced conversation, fed by the trace driver as their records arrive: each
 * turn's user and model tokens, packed in one long. Arrivals come from the trace, never from a
 * think time.
 */
public final class TraceScript implements ConversationScript {
  private final LongArrayFIFOQueue turns = new LongArrayFIFOQueue();
  private final java.util.ArrayDeque<long[]> keys = new java.util.ArrayDeque<>();
  private final it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue lines = new it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue(2);
  private final String session;
  private boolean lastQueued;

  /** A conversation without a trace session name. */
  public TraceScript() {
    this(null);
  }

  /** The conversation of the trace session {@code session} (its name in the trace), or null. */
  public TraceScript(String session) {
    this.session = session;
  }

  @Override
  public String traceSession() {
    return session;
  }

  /** Queues a turn; {@code last} when the conversation ends with it. */
  public void add(int userTokens, int modelTokens, boolean last) {
    add(userTokens, modelTokens, last, null, 0);
  }

  /** Queues a turn whose prompt blocks have prefix-cache keys ({@code blockKeys}, or null). */
  public void add(int userTokens, int modelTokens, boolean last, long[] blockKeys) {
    add(userTokens, modelTokens, last, blockKeys, 0);
  }

  /** Queues a turn read from line {@code traceLine} of the trace (1-based; 0 = none). */
  public void add(int userTokens, int modelTokens, boolean last, long[] blockKeys, int traceLine) {
    turns.enqueue(((long) userTokens << 32) | (modelTokens & 0xFFFF_FFFFL));
    keys.addLast(blockKeys == null ? NO_KEYS : blockKeys);
    lines.enqueue(traceLine);
    lastQueued = last;
  }

  private static final long[] NO_KEYS = new long[0];

  @Override
  public void nextTurn(TurnDraw out) {
    long t = turns.dequeueLong();
    out.userTokens = (int) (t >>> 32);
    out.modelTokens = (int) t;
    out.thinkNs = 0;
    out.nextArrivalNs = -1;
    out.externalArrivals = true;
    out.last = lastQueued && turns.isEmpty();
    long[] k = keys.pollFirst();
    out.blockKeys = k.length == 0 ? null : k;
    out.traceLine = lines.dequeueInt();
  }
}
