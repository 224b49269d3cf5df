package dev.tokentherm.workload;

/** The numbers of one turn, filled by a {@link ConversationScript}. Reused. */
public final class TurnDraw {
  /** New tokens the user adds (the prompt on top of the cached history). */
  public int userTokens;
  /** Tokens of the model's reply. */
  public int modelTokens;
  /** Think time after the reply's last token before the next prompt (relative scripts), ns. */
  public long thinkNs;
  /** Absolute arrival of the next prompt (fixed-time scripts), ns, or -1 when relative. */
  public long nextArrivalNs = -1;
  /** True when this is the conversation's last turn. */
  public boolean last;
  /** Keys of the prompt's KV blocks for prefix caching across conversations (a trace's hashes), or null. */
  public long[] blockKeys;

  /** The trace file line the turn was read from (1-based), or 0 for a turn not from a trace. */
  public int traceLine;

  /** Prompts arrive from outside (a trace): the fleet never schedules the next one itself. */
  public boolean externalArrivals;
}
