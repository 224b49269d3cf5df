package dev.tokentherm.serving.policy;

/** What a batch policy may read of a replica: read-only, in admission order. */
public interface ReplicaView {
  /** Running sequences past their prompt, each decoding one token per decode step. */
  int decodes();

  /** Admitted requests whose prompt is not fully computed yet, in admission order. */
  int prefilling();

  /** Prompt tokens request i (in admission order) still has to compute. */
  long remainingPrefill(int i);

  /** Whether request i already computed part of its prompt (a chunked prefill in progress). */
  boolean prefillStarted(int i);

  /** Token budget of one iteration (max_num_batched_tokens). */
  int maxBatchedTokens();

  /** Most sequences in the replica (max_num_seqs). */
  int maxSeqs();
}
