package dev.tokentherm.power;

/**
 * Every GPU of the cluster as a {@link GpuDevice}, with what each power change feeds: the meters
 * (the one source of joules), the change log that checks them, and the 1 s peak bins.
 */
public final class GpuDevices {
  private final GpuMeters meters;
  private final PowerChangeLog log;
  private final SecondPeaks peaks;
  private final GpuDevice[] devices;

  /** @param initialPowerW each GPU's power before anything runs, W */
  public GpuDevices(double[] initialPowerW) {
    meters = new GpuMeters(initialPowerW);
    log = new PowerChangeLog(initialPowerW);
    peaks = new SecondPeaks(initialPowerW);
    devices = new GpuDevice[initialPowerW.length];
    for (int g = 0; g < devices.length; g++) {
      devices[g] = new GpuDevice(g, meters, log, peaks);
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
}
