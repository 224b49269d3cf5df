package dev.tokentherm.power;

import dev.tokentherm.thermal.RcModel;

/**
 * One GPU as a device: the power it draws, set at iteration boundaries, and its energy meter. A
 * change of power goes to its meter ({@link GpuMeters}, whose arrays it indexes: primitives, no
 * allocation), to the {@link PowerChangeLog} the energy law checks the meters against, and to the
 * 1 s peak bins ({@link SecondPeaks}) and, when the devices have one, to the thermal model
 * ({@link RcModel}: one exponential per change).
 */
public final class GpuDevice {
  private final int index;
  private final GpuMeters meters;
  private final PowerChangeLog log;
  private final SecondPeaks peaks;
  /** The GPUs' die temperatures, or null: none kept. */
  private final RcModel thermal;
  /** The SM clock of its latest iteration, MHz (NaN until one runs), and that clock's reason (ClockGovernor). */
  private double clockMhz = Double.NaN;
  private int clockReason;
  /**
   * Busy time (NVML's utilization.gpu: its replica's iterations, see ReplicaGpus#run): the closed part, ns, up to the
   * start of the current iteration, and that iteration, [busyFromNs, busyToNs) at busyShare of its
   * time (1 without a pipeline; see ReplicaGpus#run). A double of whole nanoseconds is exact to 2^53 ns
   * (104 days), so with a share of 1 the differences between samples are exact.
   */
  private double busyClosedNs;
  private long busyFromNs;
  private long busyToNs;
  private double busyShare;
  /** Test-only fault: the next change reaches the change log but not the meter. */
  private boolean skipNextMeterChange;

  private final FirstThrottle firstThrottle;

  GpuDevice(int index, GpuMeters meters, PowerChangeLog log, SecondPeaks peaks, RcModel thermal,
      FirstThrottle firstThrottle) {
    this.firstThrottle = firstThrottle;
    this.index = index;
    this.meters = meters;
    this.log = log;
    this.peaks = peaks;
    this.thermal = thermal;
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
    if (thermal != null) {
      thermal.power(index, nowNs, watts);
    }
  }

  /** Its iteration from {@code nowNs} runs at {@code mhz} for {@code reason} ({@link ClockGovernor#reason}). */
  public void clock(long nowNs, double mhz, int reason) {
    clockMhz = mhz;
    clockReason = reason;
    if ((reason == ClockGovernor.SW_THERMAL_SLOWDOWN || reason == ClockGovernor.HW_SLOWDOWN) && thermal != null) {
      firstThrottle.throttled(nowNs, index, thermal.inletC(index), thermal.tempC(index, nowNs));
    }
  }

  /**
   * An iteration runs on it over [fromNs, toNs), the GPU busy for {@code share} of that time
   * (share ∈ [0, 1]); the previous iteration ended by {@code fromNs}.
   */
  public void busy(long fromNs, long toNs, double share) {
    busyClosedNs = busyNs(fromNs);
    busyFromNs = fromNs;
    busyToNs = toNs;
    busyShare = share;
  }

  /** Busy nanoseconds from time 0 to {@code nowNs} (≥ the latest iteration's start), an iteration in progress pro rata. */
  public double busyNs(long nowNs) {
    long to = Math.min(nowNs, busyToNs);
    return to > busyFromNs ? busyClosedNs + busyShare * (to - busyFromNs) : busyClosedNs;
  }

  /** The SM clock of its latest iteration, MHz (NaN before the first, and once it is shut down). */
  public double clockMhz() {
    return clockMhz;
  }

  /** The reason of that clock, NVML-style: none, sw_power_cap, locked, sw_thermal_slowdown, hw_slowdown or rack_power_budget. */
  public String clockReason() {
    return ClockGovernor.reasonName(clockReason);
  }

  /** The meter's reading: energy from time 0 to {@code nowNs}, J. */
  public double energyJ(long nowNs) {
    return meters.energyJ(index, nowNs);
  }

  /** The GPUs' thermal model, or null: none kept. */
  RcModel thermal() {
    return thermal;
  }

  GpuMeters meters() {
    return meters;
  }

  /** Test-only (the {@code skip-meter-change} fault): the meter misses the next change. */
  public void skipNextMeterChange() {
    skipNextMeterChange = true;
  }
}
