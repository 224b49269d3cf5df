package dev.tokentherm.metrics;

/** Receives the time series: per deployment and sample, requests running and waiting, KV blocks in use. */
public interface SampleSink extends AutoCloseable {
  void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks)
      throws java.io.IOException;

  /** One GPU over the last sample interval: its energy-averaged power and the HBM it holds. */
  default void device(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib)
      throws java.io.IOException {}

  @Override
  void close() throws java.io.IOException;

  SampleSink NONE = new SampleSink() {
    @Override
    public void sample(double timeS, String deployment, int running, int waiting, long kvBlocksUsed, long kvBlocks) {}

    @Override
    public void close() {}
  };
}
