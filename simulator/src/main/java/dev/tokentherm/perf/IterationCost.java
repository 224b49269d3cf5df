package dev.tokentherm.perf;

/**
 * The time of one iteration in parts, per GPU of the replica, at the reference clock; its work;
 * its power; and the cost weights used to split its energy among sequences. Mutable and reused.
 *
 * <p>Each operator (linear layers, LM head, attention) takes max(compute time, memory time); the
 * larger of the two goes to {@link #computeS} or {@link #memoryS}. Power and clock changes may
 * stretch only the compute part.
 */
public final class IterationCost {
  public double computeS;
  public double memoryS;
  public double communicationS;
  public double cpuS;
  /** FLOPs and HBM bytes of one GPU. */
  public double flops;
  public double bytes;
  /** Power of one GPU while the GPU works (compute, memory, communication parts), W. */
  public double busyPowerW;
  /** Energy-averaged power of one GPU over the whole iteration (the CPU part at active idle), W. */
  public double averagePowerW;

  // Cost weights (seconds at the roofline) to split the iteration's energy among sequences.
  /** Shared by every sequence equally: weight reads, collective latency, fixed CPU time. */
  public double sharedCost;
  /** Per token processed (decode token or prefill token): GEMM FLOPs, KV write, all-reduce bytes. */
  public double perTokenCost;
  /** Per sequence in the batch: CPU time per sequence. */
  public double perSeqCost;
  /** Per sequence that samples: its LM-head FLOPs. */
  public double perSampleCost;
  /** Per cached token a decode sequence attends to: KV read and attention FLOPs. */
  public double perContextTokenCost;
  /** Per causal attention pair of a prefill chunk. */
  public double perAttentionPairCost;
  /** Per cached token read by a prefill chunk. */
  public double perCachedReadCost;
  /** Σ of all costs of the batch (the denominator of every share). */
  public double totalCost;

  public double totalS() {
    return computeS + memoryS + communicationS + cpuS;
  }

  public double busyS() {
    return computeS + memoryS + communicationS;
  }

  /** The cost of one prefill sequence with a chunk of c tokens after n cached ones. */
  public double prefillSeqCost(long chunkTokens, long cachedTokens, boolean samples) {
    return perTokenCost * chunkTokens + perSeqCost + (samples ? perSampleCost : 0)
        + perAttentionPairCost * BatchWork.attentionPairs(chunkTokens, cachedTokens)
        + perCachedReadCost * cachedTokens;
  }

  /** The cost of one decode sequence at context n, without its equal share of {@link #sharedCost}. */
  public double decodeSeqCost(long contextTokens) {
    return perTokenCost + perSeqCost + perSampleCost + perContextTokenCost * contextTokens;
  }
}
