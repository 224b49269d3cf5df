package dev.tokentherm.metrics;

/** Receives the time series: per deployment and sample, requests running and waiting, KV blocks in use. */
public interface SampleSink extends AutoCloseable {
  void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks)
      throws java.io.IOException;

  /** One GPU at a sample (devices.csv); by default dropped. */
  default void device(DeviceSample d) throws java.io.IOException {}

  /**
   * One link of the network over the last sample interval: its class (host-link, dram, nvme-read,
   * nvme-write, nic), its name (gpuN, nodeN), the bytes it moved and its utilisation, those bytes
   * over capacity × interval (NaN for a link nothing bounds); by default dropped.
   */
  default void link(double timeS, String linkClass, String link, double utilizationFrac, double bytes)
      throws java.io.IOException {}

  /**
   * One KV tier at a sample (cluster.kv_tiers): its capacity and the bytes it holds now (summed over
   * its nodes), and its hits, misses and bytes in and out since the start; by default dropped.
   */
  default void tier(double timeS, String tier, long capacityBytes, long usedBytes, long hits, long misses,
      long bytesIn, long bytesOut) throws java.io.IOException {}

  /**
   * One replica at a sample, just before its GPUs' {@code device} rows: its place in its deployment
   * ({@code k} of {@code <deployment>/r<k>}), its running requests (the batch) and waiting ones, the
   * KV blocks it holds and has, and its GPUs (read only); by default dropped.
   */
  default void replica(double timeS, String deployment, int place, int running, int waiting, long kvBlocksUsed,
      long kvBlocks, int[] gpus) throws java.io.IOException {}

  /**
   * The run's output tokens so far, and the output tokens of the requests completed so far within
   * the SLO (counted at completion, window or not); by default dropped.
   */
  default void tokens(double timeS, long outputTokens, long goodOutputTokens) throws java.io.IOException {}

  @Override
  void close() throws java.io.IOException;

  SampleSink NONE = new SampleSink() {
    @Override
    public void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks) {}

    @Override
    public void close() {}
  };
}
