package dev.tokentherm.serving;

/**
 * One turn's request: the new tokens on top of the conversation's cached history. These are the
 * turn's facts, what the sinks and the metrics read (its tokens, times, energy, status); the
 * replica's parts keep its scheduling state apart, in a {@link Sequence}.
 */
public final class Request {
  final Conversation conversation;
  final int turn;
  final long arrivalNs;
  /** Tokens the first output token attends to: the whole history plus the new prompt (set again at dispatch). */
  long contextTokens;
  /** New tokens the user adds this turn. */
  final long newTokens;
  final int outputTokens;
  final boolean windowed;
  /** The conversation's last turn. */
  final boolean last;
  /** Prefix-cache keys of the prompt's blocks (a trace's hashes), or null. */
  long[] blockKeys;
  /** Think time after this reply before the next prompt (relative scripts), ns. */
  long thinkNs;
  /** The trace file line this turn was read from (1-based), or 0 when not from a trace. */
  int traceLine;

  // what its prefill covers (as of its last admission): the context less the KV cached at
  // admission, plus the tokens to recompute beyond the context (a preemption's generated ones) and
  // retrieved history chunks (chunked retrieval)
  long cachedTokens;
  long recomputeTokens;
  long retrievedTokens;

  // times, energy and status
  long admittedNs = -1;
  long firstTokenNs = -1;
  long doneNs = -1;
  long maxTbtNs;
  double activeJ;
  /** Idle share of the conversation at this turn's prompt arrival, and at the next one's (or NaN). */
  double idleAtArrivalJ;
  double idleAtNextArrivalJ = Double.NaN;
  long nextArrivalNs = -1;
  boolean timedOut;
  int preemptions;
  long swapTransferNs;
  /** Where its conversation's KV was found at admission ({@code kv.tier.Tiers}), how long its load took, history recomputed. */
  int kvTier = dev.tokentherm.kv.tier.Tiers.NONE;
  long loadNs;
  long recomputedTokens;

  /** The tier its conversation's KV was found in ({@code kv.tier.Tiers}, NONE: nowhere or not admitted). */
  public int kvTier() {
    return kvTier;
  }

  /** Time its prefill waited for its KV to come up from a lower tier, ns. */
  public long loadNs() {
    return loadNs;
  }

  /** Tokens of its conversation's history prefilled again (KV not found, or a partial block). */
  public long recomputedTokens() {
    return recomputedTokens;
  }

  /** Time its KV spent being copied to and from host memory (swap), ns. */
  public long swapTransferNs() {
    return swapTransferNs;
  }

  /** Times this request was preempted. */
  public int preemptions() {
    return preemptions;
  }

  Request(Conversation conversation, int turn, long arrivalNs, long contextTokens, long newTokens,
      int outputTokens, boolean windowed, boolean last) {
    this.conversation = conversation;
    this.turn = turn;
    this.arrivalNs = arrivalNs;
    this.contextTokens = contextTokens;
    this.newTokens = newTokens;
    this.outputTokens = outputTokens;
    this.windowed = windowed;
    this.last = last;
  }

  /** Tokens the prefill computes: the context less what was cached at admission, plus retrieved chunks. */
  public long prefillTokens() {
    return contextTokens + recomputeTokens - cachedTokens + retrievedTokens;
  }

  /** KV tokens held once the reply is done: the last sampled token's KV is never written. */
  long finalKvTokens() {
    return contextTokens + outputTokens - 1;
  }

  public Conversation conversation() {
    return conversation;
  }

  /** The trace file line this turn was read from (1-based, the line numbers of trace errors), or 0. */
  public int traceLine() {
    return traceLine;
  }

  /** The trace session the turn belongs to, as the trace names it, or null. */
  public String traceSession() {
    return conversation.script.traceSession();
  }

  public int turn() {
    return turn;
  }

  public long arrivalNs() {
    return arrivalNs;
  }

  public long contextTokens() {
    return contextTokens;
  }

  public long newTokens() {
    return newTokens;
  }

  public long cachedTokens() {
    return cachedTokens;
  }

  public int outputTokens() {
    return outputTokens;
  }

  public boolean windowed() {
    return windowed;
  }

  public long firstTokenNs() {
    return firstTokenNs;
  }

  public long doneNs() {
    return doneNs;
  }

  public long maxTbtNs() {
    return maxTbtNs;
  }

  public double activeJ() {
    return activeJ;
  }

  /** Time from arrival to admission (queueing delay), ns; -1 if never admitted. */
  public long queueNs() {
    return admittedNs < 0 ? -1 : admittedNs - arrivalNs;
  }

  public boolean timedOut() {
    return timedOut;
  }

  public long ttftNs() {
    return firstTokenNs - arrivalNs;
  }

  public long e2eNs() {
    return doneNs - arrivalNs;
  }

  /** (E2E − TTFT) / (output − 1) in ns; NaN for one-token replies. */
  public double tpotNs() {
    return outputTokens > 1 ? (double) (doneNs - firstTokenNs) / (outputTokens - 1) : Double.NaN;
  }

  /** Idle share from this prompt's arrival to the next prompt's arrival (or the conversation's end). */
  public double idleShareJ() {
    return idleAtNextArrivalJ - idleAtArrivalJ;
  }

  public double withIdleJ() {
    return activeJ + idleShareJ();
  }
}
