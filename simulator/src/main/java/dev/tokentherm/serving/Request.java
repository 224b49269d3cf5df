package dev.tokentherm.serving;

/** One turn's request: the new tokens on top of the conversation's cached history. */
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

  /** KV tokens cached when the request was admitted; the prefill covers the rest of the context. */
  long cachedTokens;
  long prefilledTokens;
  long admittedNs = -1;
  /** Gap from the first token (prompt's end) to the second (its first decode step). */
  long firstGapNs;
  long firstTokenNs = -1;
  long doneNs = -1;
  long maxTbtNs;
  double activeJ;
  /** Idle share of the conversation at this turn's prompt arrival, and at the next one's (or NaN). */
  double idleAtArrivalJ;
  double idleAtNextArrivalJ = Double.NaN;
  long nextArrivalNs = -1;
  /** Admission bookkeeping: the queue-timeout event, whether it fired, the tokens charged to the replica. */
  long timeoutHandle = -1;
  boolean timedOut;
  long outstandingCharge;
  long serial;

  /** Prefix-cache keys of the prompt's blocks (a trace's hashes), or null; and all blocks it pins. */
  long[] blockKeys;
  long[] pinnedKeys;
  int pinnedCount;

  // preemption: tokens generated so far, tokens to recompute (or restore) beyond the context, the
  // KV residue class of its decode steps, its place in the replica's admission order
  int generated;
  long recomputeTokens;
  boolean swapped;
  int preemptions;
  int residue;
  /** Swap: when its KV reached host memory, the host bytes it holds there, its time on the host links. */
  long swapOutEndNs;
  long swapBytes;
  long swapTransferNs;

  /** Time its KV spent being copied to and from host memory (swap), ns. */
  public long swapTransferNs() {
    return swapTransferNs;
  }

  /** Blocks its decode steps took (set when its decoding ends, settled when it completes). */
  long growthBlocks;

  /** Times this request was preempted. */
  public int preemptions() {
    return preemptions;
  }

  /** Think time after this reply before the next prompt (relative scripts), ns. */
  long thinkNs;
  /** The trace file line this turn was read from (1-based), or 0 when not from a trace. */
  int traceLine;

  /** Tokens recomputed besides the uncached context: retrieved history chunks (chunked retrieval). */
  long retrievedTokens;
  boolean sideWorkCharged;

  // decode bookkeeping: joined at iteration k0 with context n0, leaves after finishIteration
  long k0;
  long n0;
  long finishIteration;
  /** The iteration boundary of its next event: a breakpoint of a decode curve, or its finish. */
  long nextEventIteration;
  double markA;
  /** Per decode slot: the current linear segment of g (start iteration, value, slope) and ledger marks. */
  long[] segmentStart;
  long[] segmentValue;
  int[] segmentSlope;
  double[] markB;
  double[] markBk;

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

  long remainingPrefill() {
    return contextTokens + recomputeTokens - cachedTokens + retrievedTokens - prefilledTokens;
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
