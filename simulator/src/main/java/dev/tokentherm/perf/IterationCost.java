package dev.tokentherm.perf;

/**
 * The time of one iteration in parts, at the reference clock; what each GPU does in it, per stage
 * and operator ({@link IterationActivity}: no watts, which are power's); and the cost weights that
 * split its energy among sequences. Mutable and reused.
 *
 * <p>Each operator (linear layers, LM head, decode attention, prefill attention) takes max(compute
 * time, memory time) plus its kernels' fixed times; the larger of the two goes to
 * {@link #computeS} or {@link #memoryS} (fixed times count as compute). Power and clock changes may
 * stretch only the compute part.
 */
public final class IterationCost {
  public double computeS;
  public double memoryS;
  public double communicationS;
  public double cpuS;
  /** What each GPU does over the iteration, per pipeline stage and operator (power reads it). */
  public final IterationActivity activity = new IterationActivity();

  // Cost weights (seconds at the roofline) that split the iteration's energy among sequences.
  /** Shared by every sequence equally: weight reads, fixed kernel and collective times, fixed CPU time, folds. */
  public double sharedCost;
  /** Per token processed (decode or prefill): GEMM FLOPs, activations, all-reduce bytes, CPU per token. */
  public double perTokenCost;
  /** Per sequence in the batch: CPU per sequence. */
  public double perSeqCost;
  /** Per decode sequence: KV write and state update. */
  public double perDecodeCost;
  /** Per sequence that samples: its LM-head FLOPs. */
  public double perSampleCost;
  /** Per unit of each decode slot's g(n): KV read and attention FLOPs. */
  public final double[] perUnitCost = new double[dev.tokentherm.model.Architecture.SLOTS];
  /** Σ of all costs of the batch (the denominator of every share). */
  public double totalCost;
  /** The batch this cost was computed for (its composition, for a listener to read; not to change). */
  public BatchWork batch;

  public double totalS() {
    return computeS + memoryS + communicationS + cpuS;
  }

  /** GPU parts (compute, memory, communication) of the iteration. */
  public double gpuS() {
    return computeS + memoryS + communicationS;
  }
}
