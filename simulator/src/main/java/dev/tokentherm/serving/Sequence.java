package dev.tokentherm.serving;

/**
 * A request's scheduling state on its replica, beside the turn's facts ({@link Request}): what the
 * replica's parts keep while it waits, prefills, decodes, is preempted or swapped. One per request,
 * made when it is queued; the sinks and the metrics never see it.
 */
final class Sequence {
  final Request request;

  // the waiting queue's: the queue-timeout event and its key, the tokens charged to the replica
  long timeoutHandle = -1;
  long serial;
  long outstandingCharge;

  // progress: prompt tokens computed since its admission, tokens generated so far, whether the
  // side work of its prompt (embedding, vector search) was charged
  long prefilledTokens;
  int generated;
  boolean sideWorkCharged;

  // the KV's: blocks it pins in the prefix cache (keys, count), the residue class of its decode
  // steps, the blocks they took (set when its decoding ends, settled when it completes)
  long[] pinnedKeys;
  int pinnedCount;
  int residue;
  long growthBlocks;
  /** Swap: its KV waits in host memory; when it got there, the host bytes it holds there. */
  boolean swapped;
  long swapBytes;
  /** Its copies to and from host memory while they are in flight (a shutdown calls them off), else null. */
  SwapTransfers.Copy swapOut;
  SwapTransfers.Copy swapIn;
  /** The tier copy that brings its KV into HBM, while one is in flight (a shutdown calls it off), else −1. */
  long tierLoadHandle = -1;
  /** Its conversation's KV is loaded from this tier below HBM before its prefill (0: none); when the load began. */
  int loadTier;
  long loadStartNs;
  /** A keyed prompt's blocks loaded from a tier: the first block's index in its keys, and how many (0: a conversation's copy). */
  int loadFrom;
  int loadCount;

  // the decode set's: joined at decode step k0 with context n0, leaves after finishIteration
  long k0;
  long n0;
  long finishIteration;
  /** The decode step boundary of its next event: a breakpoint of a decode curve, or its finish (its heap key). */
  long nextEventIteration;
  /** Gap from the first token (prompt's end) to the second (its first decode step). */
  long firstGapNs;
  /** The decode energy ledger's constant sum when it joined. */
  double markA;
  /** Per decode slot: the current linear segment of g (start step, value, slope) and the ledger's marks. */
  long[] segmentStart;
  long[] segmentValue;
  int[] segmentSlope;
  double[] markB;
  double[] markBk;

  Sequence(Request request) {
    this.request = request;
  }

  /** True (once) when it is back from a tier load: it joins the prefills, not the decodes. */
  boolean takeLoaded() {
    boolean loaded = loadTier > 0;
    loadTier = 0;
    return loaded;
  }

  /** Prompt tokens still to compute. */
  long remainingPrefill() {
    return request.prefillTokens() - prefilledTokens;
  }
}
