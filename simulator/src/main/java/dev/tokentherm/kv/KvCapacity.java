package dev.tokentherm.kv;

/**
 * KV-cache capacity of one GPU of a replica, as vLLM computes it: blocks = floor((utilization · HBM
 * − weights − activation peak − reserve) / (block_tokens · KV bytes per token per GPU)). All byte
 * figures are per GPU.
 */
public record KvCapacity(
    double usableBytes,
    double weightsBytes,
    double activationPeakBytes,
    double reserveBytes,
    double kvBudgetBytes,
    double kvBytesPerToken,
    int blockTokens,
    long blocks,
    boolean measuredBlocks) {

  /** Builds the capacity from the formula; the budget may be negative (weights do not fit). */
  public static KvCapacity fromFormula(double hbmBytes, double utilization, double weightsBytes,
      double activationPeakBytes, double reserveBytes, double kvBytesPerToken, int blockTokens) {
    double usable = utilization * hbmBytes;
    double budget = usable - weightsBytes - activationPeakBytes - reserveBytes;
    long blocks = budget <= 0 ? 0 : (long) Math.floor(budget / (blockTokens * kvBytesPerToken));
    return new KvCapacity(usable, weightsBytes, activationPeakBytes, reserveBytes, budget,
        kvBytesPerToken, blockTokens, blocks, false);
  }

  /** A measured block count replaces the formula's result (the budget is then blocks' bytes). */
  public KvCapacity withMeasuredBlocks(long measured) {
    return new KvCapacity(usableBytes, weightsBytes, activationPeakBytes, reserveBytes,
        measured * blockTokens * kvBytesPerToken, kvBytesPerToken, blockTokens, measured, true);
  }

  public long tokens() {
    return blocks * blockTokens;
  }

  /** Blocks holding n tokens. */
  public long blocksFor(long tokens) {
    return (tokens + blockTokens - 1) / blockTokens;
  }
}
