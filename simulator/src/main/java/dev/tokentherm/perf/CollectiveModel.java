package dev.tokentherm.perf;

import dev.tokentherm.hardware.NodeProfile;
import java.util.List;

/**
 * Time of one collective inside a node against its message size s (bytes):
 * t = min(α + s / β, α_small + s / β_small). NCCL runs the fastest of its protocols for each size
 * (LL: low latency, low bandwidth; Simple: high bandwidth), so the time is the lower of two lines;
 * no single α + s/β follows both the KiB messages of decode and the MiB messages of prefill.
 * Fitted per GPU count (the node profile's {@code scale_up.all_reduce} / {@code send_recv}).
 */
public final class CollectiveModel {
  /** A collective over one GPU moves nothing. */
  public static final CollectiveModel NONE = new CollectiveModel(0, Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY, 1);

  private final double latencyS;
  private final double bytesPerSecond;
  private final double smallLatencyS;
  private final double smallBytesPerSecond;

  public CollectiveModel(NodeProfile.CollectiveFit fit) {
    this(fit.latencyUs().value() * 1e-6, fit.gbPerS().value() * 1e9,
        fit.smallLatencyUs() == null ? Double.POSITIVE_INFINITY : fit.smallLatencyUs().value() * 1e-6,
        fit.smallGbPerS() == null ? 1 : fit.smallGbPerS().value() * 1e9);
  }

  private CollectiveModel(double latencyS, double bytesPerSecond, double smallLatencyS,
      double smallBytesPerSecond) {
    this.latencyS = latencyS;
    this.bytesPerSecond = bytesPerSecond;
    this.smallLatencyS = smallLatencyS;
    this.smallBytesPerSecond = smallBytesPerSecond;
  }

  /** All-reduce over {@code gpus} GPUs of {@code node}; {@link #NONE} for one GPU. */
  public static CollectiveModel allReduce(NodeProfile node, int gpus) {
    return gpus <= 1 ? NONE : new CollectiveModel(entry(node, node.scaleUp().allReduce(), gpus, "all_reduce"));
  }

  /** Point-to-point send/recv between two GPUs of {@code node}. */
  public static CollectiveModel sendRecv(NodeProfile node) {
    return new CollectiveModel(entry(node, node.scaleUp().sendRecv(), 2, "send_recv"));
  }

  /** Seconds to complete the collective on a message of {@code bytes} bytes; 0 for an empty message. */
  public double seconds(double bytes) {
    if (bytes <= 0) {
      return 0;
    }
    return Math.min(latencyS + bytes / bytesPerSecond, smallLatencyS + bytes / smallBytesPerSecond);
  }

  private static NodeProfile.CollectiveFit entry(NodeProfile node, List<NodeProfile.CollectiveFit> fits,
      int gpus, String key) {
    StringBuilder have = new StringBuilder();
    for (NodeProfile.CollectiveFit fit : fits) {
      if (fit.gpus() == gpus) {
        return fit;
      }
      have.append(have.length() == 0 ? "" : ", ").append(fit.gpus());
    }
    throw new IllegalArgumentException(node.id() + ": scale_up." + key + " has no entry for "
        + gpus + " GPUs (has " + have + ")");
  }
}
