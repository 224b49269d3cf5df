package dev.tokentherm.kv;

/**
 * KV-cache capacity of one GPU of a replica, as vLLM computes it: blocks = floor((utilization · HBM
 * − weights − activation peak − reserve) / block bytes), a block holding block_tokens tokens of
 * KV. A sequence holds the blocks of its held tokens plus whole blocks for any fixed state (SSM
 * layers); a state-only model holds one block, of its state's size, per sequence. Byte figures are
 * per GPU.
 */
public record KvCapacity(
    double usableBytes,
    double weightsBytes,
    double activationPeakBytes,
    double reserveBytes,
    double kvBudgetBytes,
    double kvBytesPerToken,
    double stateBytesPerSeq,
    int blockTokens,
    double blockBytes,
    long blocks,
    boolean measuredBlocks) {

  /** Builds the capacity from the formula; the budget may be negative (weights do not fit). */
  public static KvCapacity fromFormula(double hbmBytes, double utilization, double weightsBytes,
      double activationPeakBytes, double reserveBytes, double kvBytesPerToken, double stateBytesPerSeq,
      int blockTokens) {
    double usable = utilization * hbmBytes;
    double budget = usable - weightsBytes - activationPeakBytes - reserveBytes;
    double blockBytes = kvBytesPerToken > 0 ? blockTokens * kvBytesPerToken : stateBytesPerSeq;
    long blocks = budget <= 0 ? 0 : (long) Math.floor(budget / blockBytes);
    return new KvCapacity(usable, weightsBytes, activationPeakBytes, reserveBytes, budget,
        kvBytesPerToken, stateBytesPerSeq, blockTokens, blockBytes, blocks, false);
  }

  /** A measured block count replaces the formula's result (the budget is then the blocks' bytes). */
  public KvCapacity withMeasuredBlocks(long measured) {
    return new KvCapacity(usableBytes, weightsBytes, activationPeakBytes, reserveBytes,
        measured * blockBytes, kvBytesPerToken, stateBytesPerSeq, blockTokens, blockBytes, measured, true);
  }

  /** Tokens of KV the blocks can hold (0 for a state-only model). */
  public long tokens() {
    return kvBytesPerToken > 0 ? blocks * blockTokens : 0;
  }

  /** The most tokens of KV one sequence can hold (the blocks less its state's), or Long.MAX_VALUE for a state-only model. */
  public long maxHeldTokens() {
    if (kvBytesPerToken <= 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, blocks - (blocksFor(0))) * blockTokens;
  }

  /** Blocks a sequence holding {@code heldTokens} tokens of KV (and its state) needs. */
  public long blocksFor(long heldTokens) {
    if (kvBytesPerToken <= 0) {
      return 1;
    }
    long state = stateBytesPerSeq > 0 ? (long) Math.ceil(stateBytesPerSeq / blockBytes) : 0;
    return (heldTokens + blockTokens - 1) / blockTokens + state;
  }
}
