package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.net.Network;
import java.util.function.LongConsumer;

/**
 * Swap's copies between a replica's GPUs and its node's host memory, as flows on the run's {@link
 * Network}: a copy is one flow per GPU of the replica (each GPU's KV share over its own host link,
 * then the node's DRAM), done when the last of them is. Copies share the links max-min fairly with
 * each other and with any other traffic on them (another replica's swaps, tier traffic), rather
 * than waiting their turn. A sequence's copy back starts once its copy out is done.
 */
final class SwapTransfers {
  private final Engine engine;
  private final Network network;
  /** Each GPU's route: its host link, then its node's DRAM. */
  private final int[][] routes;

  SwapTransfers(Engine engine, Network network, int[][] routes) {
    this.engine = engine;
    this.network = network;
    this.routes = routes;
  }

  /** One copy in flight: its flows, how many are left, when it started. */
  final class Copy implements Network.FlowDone {
    private final Sequence q;
    private final boolean toHost;
    private final long bytesPerGpu;
    private final LongConsumer back;
    private final long serial;
    private final long[] flows;
    private int left;
    private long startNs = -1;

    private Copy(Sequence q, boolean toHost, long bytesPerGpu, LongConsumer back, long serial) {
      this.q = q;
      this.toHost = toHost;
      this.bytesPerGpu = bytesPerGpu;
      this.back = back;
      this.serial = serial;
      this.flows = new long[routes.length];
    }

    private void start() {
      startNs = engine.now();
      left = routes.length;
      for (int g = 0; g < routes.length; g++) {
        flows[g] = network.startFlow(routes[g], bytesPerGpu, Double.POSITIVE_INFINITY, this);
      }
    }

    @Override
    public void flowDone(long flow, long nowNs) {
      if (--left > 0) {
        return;
      }
      q.request.swapTransferNs += nowNs - startNs;
      if (toHost) {
        q.swapOut = null;
        if (q.swapIn != null) { // admitted while its KV was still on the way out
          q.swapIn.start();
        }
      } else {
        q.swapIn = null;
        back.accept(serial);
      }
    }

    /** Calls the copy off: its flows leave the links (what they moved stays on the books). */
    private void cancel() {
      if (startNs >= 0) {
        for (long f : flows) {
          network.cancel(f);
        }
      }
    }
  }

  /**
   * Copies {@code bytesPerGpu} of the sequence's KV from each GPU to host memory (the copy is ordered
   * before the kernels of the step that reuses its blocks, so its GPU blocks are free at once).
   */
  void toHost(Sequence q, long bytesPerGpu) {
    q.swapOut = new Copy(q, true, bytesPerGpu, null, -1);
    q.swapOut.start();
  }

  /**
   * Copies the sequence's KV back, once its copy out is done; {@code back} is told {@code serial}
   * when it is.
   */
  void fromHost(Sequence q, long bytesPerGpu, LongConsumer back, long serial) {
    q.swapIn = new Copy(q, false, bytesPerGpu, back, serial);
    if (q.swapOut == null) {
      q.swapIn.start();
    }
  }

  /** The replica shut down: the sequence's copies in flight, either way, are called off. */
  void callOff(Sequence q) {
    if (q.swapOut != null) {
      q.swapOut.cancel();
      q.swapOut = null;
    }
    if (q.swapIn != null) {
      q.swapIn.cancel();
      q.swapIn = null;
    }
  }
}
