package dev.tokentherm.power;

/**
 * When thermal slowdown first lowered any GPU's clock: the instant, the GPU, and that GPU's inlet
 * and die temperature then (the heatwave's onset, to set against the hand-derived inlet).
 */
public final class FirstThrottle {
  private long atNs = -1;
  private int gpu = -1;
  private double inletC = Double.NaN;
  private double tempC = Double.NaN;

  void throttled(long nowNs, int gpu, double inletC, double tempC) {
    if (atNs < 0) {
      this.atNs = nowNs;
      this.gpu = gpu;
      this.inletC = inletC;
      this.tempC = tempC;
    }
  }

  /** Whether thermal slowdown ever lowered a clock. */
  public boolean happened() {
    return atNs >= 0;
  }

  public long atNs() {
    return atNs;
  }

  public int gpu() {
    return gpu;
  }

  public double inletC() {
    return inletC;
  }

  public double tempC() {
    return tempC;
  }
}
