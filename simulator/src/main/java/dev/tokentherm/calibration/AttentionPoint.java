package dev.tokentherm.calibration;

import java.util.Locale;

/**
 * One row of the Vidur attention profile: a batch of {@code batch} sequences, each with
 * {@code cachedTokens} tokens of KV, running either a prefill chunk of {@code chunkTokens} tokens
 * or one decode token; heads are per GPU (the TP shard). Work follows docs/DOMAIN.md §2, bf16.
 */
public record AttentionPoint(boolean prefill, int batch, int chunkTokens, int cachedTokens,
    double headsPerGpu, double kvHeadsPerGpu, double headDim, double measuredSeconds) {
  private static final double BYTES = 2;

  /** Causal FLOPs: 4 · c · (n + c/2) · heads · head_dim per sequence (c = 1 for decode). */
  public double flops() {
    double c = queryTokens();
    return batch * 4.0 * c * (cachedTokens + c / 2) * headsPerGpu * headDim;
  }

  /** The part of {@link #flops} from each chunk's own causal triangle: 2 · c² · heads · head_dim (0 for decode). */
  public double diagonalFlops() {
    return prefill ? batch * 2.0 * chunkTokens * (double) chunkTokens * headsPerGpu * headDim : 0;
  }

  /** KV read (and the chunk's KV written) plus Q in and O out. */
  public double bytes() {
    double c = queryTokens();
    double kv = (cachedTokens + (prefill ? c : 0)) * 2 * kvHeadsPerGpu * headDim * BYTES;
    return batch * (kv + 2 * c * headsPerGpu * headDim * BYTES);
  }

  private double queryTokens() {
    return prefill ? chunkTokens : 1;
  }

  public String label() {
    return prefill
        ? String.format(Locale.ROOT, "prefill c=%d n=%d", chunkTokens, cachedTokens)
        : String.format(Locale.ROOT, "decode b=%d n=%d", batch, cachedTokens);
  }
}
