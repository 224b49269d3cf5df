package dev.tokentherm.metrics;

/** Receives the time series: per deployment and sample, requests running and waiting, KV blocks in use. */
public interface SampleSink extends AutoCloseable {
  void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks)
      throws java.io.IOException;

  /** One GPU over the last sample interval: its energy-averaged power and the HBM it holds. */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib)
      throws java.io.IOException {}

  /**
   * As {@link #device(double, int, String, double, double)}, with the GPU's die temperature at the
   * sample instant, °C; by default the temperature is dropped.
   */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib, double tempC)
      throws java.io.IOException {
    device(timeS, gpu, deployment, powerW, hbmUsedGib);
  }

  /**
   * As the six-argument form, with the SM clock of the GPU's latest iteration, MHz (NaN before
   * any), and its clock-event reason (none, sw_power_cap, locked); by default both are dropped.
   */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib, double tempC,
      double clockMhz, String throttleReason) throws java.io.IOException {
    device(timeS, gpu, deployment, powerW, hbmUsedGib, tempC);
  }

  /**
   * As the eight-argument form, with the GPU's utilisation over the interval, as NVML's
   * utilization.gpu: the fraction of it the GPU spent in iterations, 0..1; by default dropped.
   */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib, double tempC,
      double clockMhz, String throttleReason, double utilizationFrac) throws java.io.IOException {
    device(timeS, gpu, deployment, powerW, hbmUsedGib, tempC, clockMhz, throttleReason);
  }

  /**
   * As the nine-argument form, with the GPU's inlet air (or coolant), °C, and its node's fan speed,
   * a fraction of full speed, at the sample instant (NaN without a thermal model); by default both
   * are dropped.
   */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib, double tempC,
      double clockMhz, String throttleReason, double utilizationFrac, double inletC, double fanSpeed)
      throws java.io.IOException {
    device(timeS, gpu, deployment, powerW, hbmUsedGib, tempC, clockMhz, throttleReason, utilizationFrac);
  }

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
