package dev.tokentherm.workload.trace;

/** The trace file formats that {@link TraceReaders#open} understands. */
public enum TraceFormat {
  /** Azure LLM inference trace 2023 CSV: {@code TIMESTAMP,ContextTokens,GeneratedTokens}. */
  AZURE,
  /** Mooncake (FAST'25) JSON lines: {@code timestamp, input_length, output_length, hash_ids}. */
  MOONCAKE,
  /** The documented user CSV: {@code arrival_s,input_tokens,output_tokens[,session_id]}. */
  CSV
}
