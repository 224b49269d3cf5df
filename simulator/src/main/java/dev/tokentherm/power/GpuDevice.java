package dev.tokentherm.power;

/**
 * One GPU as a device: the power it draws, set at iteration boundaries, and its energy meter. A
 * change of power goes to its meter ({@link GpuMeters}, whose arrays it indexes: primitives, no
 * allocation), to the {@link PowerChangeLog} the energy law checks the meters against, and to the
 * 1 s peak bins ({@link SecondPeaks}).
 */
public final class GpuDevice {
  private final int index;
  private final GpuMeters meters;
  private final PowerChangeLog log;
  private final SecondPeaks peaks;
  /** Test-only fault: the next change reaches the change log but not the meter. */
  private boolean skipNextMeterChange;

  GpuDevice(int index, GpuMeters meters, PowerChangeLog log, SecondPeaks peaks) {
    this.index = index;
    this.meters = meters;
    this.log = log;
    this.peaks = peaks;
  }

  /** The GPU's number in the cluster. */
  public int index() {
    return index;
  }

  /** The GPU draws {@code watts} from {@code nowNs} on. */
  public void draw(long nowNs, double watts) {
    if (skipNextMeterChange) {
      skipNextMeterChange = false;
    } else {
      meters.set(index, nowNs, watts);
    }
    log.changed(index, nowNs, watts);
    peaks.changed(index, nowNs, watts);
  }

  /** The meter's reading: energy from time 0 to {@code nowNs}, J. */
  public double energyJ(long nowNs) {
    return meters.energyJ(index, nowNs);
  }

  GpuMeters meters() {
    return meters;
  }

  /** Test-only (the {@code skip-meter-change} fault): the meter misses the next change. */
  public void skipNextMeterChange() {
    skipNextMeterChange = true;
  }
}
