package dev.tokentherm.net;

/**
 * The rate one flow reaches on a link when it moves its bytes in chunks of c bytes, each chunk
 * paying a fixed cost o (a DMA descriptor, an RDMA work request) besides its time on the wire at
 * the link's bandwidth B: rate(c) = c / (c / B + o). Small chunks are far slower: the overhead
 * dominates below c ≈ o × B.
 *
 * <p>The one overhead with a source, the NIC's ({@link #NIC_OVERHEAD_NS}), is fitted to Mooncake's
 * transfer engine over AWS EFA, 8 × 400 Gbit/s = B = 400e9 B/s, as quoted in issue 13: 97 GB/s with
 * 64 KiB chunks, 365 GB/s with 1 MiB chunks. Fitted on the 64 KiB point:
 *
 * <pre>
 *   c/r = c/B + o  ⇒  o = 65536/97e9 − 65536/400e9 = 675.63 ns − 163.84 ns = 511.79 ns
 * </pre>
 *
 * Checked on the 1 MiB point: 1048576 / (1048576/400e9 + 511.79e-9) = 1048576 / 3133.23 ns =
 * 334.7 GB/s against the 365 GB/s measured, 8 % low (fitting both points instead needs B = 447 GB/s,
 * above the line rate, so the one-parameter form on the line rate is kept, erring slow for large
 * chunks).
 */
public final class ChunkRate {
  /** Per-chunk overhead of RDMA over the node's NICs, ns (fitted above). */
  public static final double NIC_OVERHEAD_NS = 511.79;

  private ChunkRate() {}

  /**
   * A flow's rate on a link of {@code linkBytesPerS} with {@code overheadNs} per chunk of {@code
   * chunkBytes} (+∞ when either the chunk is unbounded or the overhead is 0: the link alone bounds it).
   */
  public static double bytesPerS(double linkBytesPerS, double overheadNs, double chunkBytes) {
    if (overheadNs == 0 || chunkBytes == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    return chunkBytes / (chunkBytes / linkBytesPerS + overheadNs * 1e-9);
  }
}
