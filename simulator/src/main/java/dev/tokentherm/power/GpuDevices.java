package dev.tokentherm.power;

import dev.tokentherm.thermal.RcModel;

/**
 * Every GPU of the cluster as a {@link GpuDevice}, with what each power change feeds: the meters
 * (the one source of joules), the change log that checks them, the 1 s peak bins and, when given
 * one, the thermal model (each GPU's die temperature).
 */
public final class GpuDevices {
  private final GpuMeters meters;
  private final PowerChangeLog log;
  private final SecondPeaks peaks;
  private final RcModel thermal;
  private final GpuDevice[] devices;
  private final FirstThrottle firstThrottle = new FirstThrottle();

  /** @param initialPowerW each GPU's power before anything runs, W */
  public GpuDevices(double[] initialPowerW) {
    this(initialPowerW, null);
  }

  /**
   * @param initialPowerW each GPU's power before anything runs, W
   * @param thermal the GPUs' thermal model, started at the same powers, or null for none
   */
  public GpuDevices(double[] initialPowerW, RcModel thermal) {
    if (thermal != null && thermal.gpus() != initialPowerW.length) {
      throw new IllegalArgumentException(thermal.gpus() + " GPUs in the thermal model for " + initialPowerW.length);
    }
    this.thermal = thermal;
    meters = new GpuMeters(initialPowerW);
    log = new PowerChangeLog(initialPowerW);
    peaks = new SecondPeaks(initialPowerW);
    devices = new GpuDevice[initialPowerW.length];
    for (int g = 0; g < devices.length; g++) {
      devices[g] = new GpuDevice(g, meters, log, peaks, thermal, firstThrottle);
    }
  }

  public int count() {
    return devices.length;
  }

  public GpuDevice device(int gpu) {
    return devices[gpu];
  }

  /** The devices of these GPUs, in this order. */
  public GpuDevice[] devices(int[] gpus) {
    GpuDevice[] out = new GpuDevice[gpus.length];
    for (int i = 0; i < gpus.length; i++) {
      out[i] = devices[gpus[i]];
    }
    return out;
  }

  public GpuMeters meters() {
    return meters;
  }

  public PowerChangeLog log() {
    return log;
  }

  public SecondPeaks peaks() {
    return peaks;
  }

  /** When thermal slowdown first lowered a clock. */
  public FirstThrottle firstThrottle() {
    return firstThrottle;
  }

  /** The GPUs' thermal model, or null when none is kept. */
  public RcModel thermal() {
    return thermal;
  }
}
