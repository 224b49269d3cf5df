package dev.tokentherm.calibration;

/** One row of a Vidur network profile: a collective over {@code gpus} GPUs, {@code devicesPerNode} of them per node. */
public record CollectivePoint(String collective, int gpus, int devicesPerNode, long bytes, double measuredSeconds) {
  /** All GPUs inside one node (the configurations the scale-up fits cover). */
  public boolean singleNode() {
    return gpus == devicesPerNode;
  }
}
