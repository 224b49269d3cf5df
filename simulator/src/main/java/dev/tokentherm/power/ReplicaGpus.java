package dev.tokentherm.power;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationActivity;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;

/**
 * A replica's GPUs, stage by stage (stage s holds devices [s · tp, (s + 1) · tp)): each stage draws
 * the power of its own work over an iteration ({@link StagePower} of the stage's activity), all
 * draw active idle between iterations, and their meters are read together. The replica's energy is
 * read from the meters, never recomputed from a power.
 */
public final class ReplicaGpus {
  private final GpuDevice[] devices;
  /** The devices' cluster numbers and their meters, to read the meters without a hop per device. */
  private final int[] index;
  private final GpuMeters meters;
  private final int perStage;
  private final StagePower power;
  private final ClockGovernor governor;

  /** @param devices the replica's GPUs stage by stage, {@code stages} stages of equal size */
  public ReplicaGpus(GpuDevice[] devices, int stages, StagePower power) {
    this(devices, stages, ClockGovernor.boost(power, 1));
  }

  /** With a clock governor (its stage power is the GPUs'). */
  public ReplicaGpus(GpuDevice[] devices, int stages, ClockGovernor governor) {
    StagePower power = governor.power();
    if (devices.length == 0) {
      throw new IllegalArgumentException("a replica needs GPUs");
    }
    if (stages < 1 || devices.length % stages != 0) {
      throw new IllegalArgumentException(devices.length + " GPUs do not make " + stages + " equal stages");
    }
    this.devices = devices.clone();
    this.perStage = devices.length / stages;
    this.power = power;
    this.governor = governor;
    this.meters = devices[0].meters();
    this.index = new int[devices.length];
    for (int i = 0; i < index.length; i++) {
      index[i] = devices[i].index();
      if (devices[i].meters() != meters) {
        throw new IllegalArgumentException("a replica's GPUs share one set of meters");
      }
    }
    governor.watch(devices[0].thermal(), index, perStage); // thermal slowdown reads their temperatures
  }

  /**
   * Fills {@code out} with the cost of {@code w} for an iteration starting at {@code nowNs}, at the
   * clock the governor sets there (see {@link ClockGovernor}: policy, cap, thermal slowdown).
   */
  public void cost(long nowNs, Roofline roofline, BatchWork w, IterationCost out) {
    governor.cost(nowNs, roofline, w, out);
  }

  /**
   * Whether the latest {@link #cost} found one of the GPUs at or above shutdown_c ({@link
   * ClockGovernor#overheated}): it computed nothing, and the replica must shut down instead.
   */
  public boolean overheated() {
    return governor.overheated();
  }

  /**
   * The GPUs are switched off for good at {@code nowNs} (a shutdown): each draws 0 W from then on,
   * through the same path as every other change (meter, change log, peaks, temperature), and its
   * clock reads as none with the reason {@code shutdown}.
   */
  public void powerOff(long nowNs) {
    for (GpuDevice d : devices) {
      d.draw(nowNs, 0);
      d.clock(nowNs, Double.NaN, ClockGovernor.SHUTDOWN);
    }
  }

  /** A decode step ended at {@code nowNs}, its token gap {@code gapNs}: the clock policy may observe it. */
  public void decodeStepEnded(long nowNs, long gapNs) {
    governor.decodeStepEnded(nowNs, gapNs);
  }

  /** GPU-seconds of this replica's iterations whose clock {@code reason} lowered ({@link ClockGovernor#throttledS}). */
  public double throttledS(int reason) {
    return governor.throttledS(reason);
  }

  /** Seconds of this replica's iterations at min_mhz still over the cap. */
  public double capUnmetS() {
    return governor.unmetS();
  }

  /**
   * An iteration of {@code intervalS} seconds starts: each stage draws its activity's power and is
   * busy (utilisation) for its share of the iteration. Without a pipeline that is the whole
   * iteration; a pipeline's stages run in sequence (perf.Roofline), so stage s is busy for
   * busy_s / Σ busy of the iteration (IterationActivity#stageBusyS), its stages' shares adding up to
   * the iteration as one GPU's would (the CPU time and sends spread pro rata).
   */
  public void run(long nowNs, IterationActivity activity, double intervalS) {
    int stages = devices.length / perStage;
    if (activity.stages() != stages) {
      throw new IllegalArgumentException(activity.stages() + " stages of activity for " + stages + " stages of GPUs");
    }
    double mhz = governor.clockMhz();
    int reason = governor.reason();
    long endNs = nowNs + Durations.toNanos(intervalS); // the iteration's end, as IterationLoop schedules it
    double allBusyS = 0;
    for (int s = 0; s < stages && stages > 1; s++) {
      allBusyS += activity.stageBusyS(s);
    }
    for (int s = 0; s < stages; s++) {
      double w = power.watts(activity, s, intervalS);
      double share = stages == 1 ? 1 : allBusyS > 0 ? activity.stageBusyS(s) / allBusyS : 1.0 / stages;
      for (int i = s * perStage, end = i + perStage; i < end; i++) {
        devices[i].draw(nowNs, w);
        devices[i].clock(nowNs, mhz, reason);
        devices[i].busy(nowNs, endNs, share);
      }
    }
  }

  /** No iteration runs: every GPU draws active idle. */
  public void rest(long nowNs) {
    double w = power.activeIdleW();
    for (GpuDevice d : devices) {
      d.draw(nowNs, w);
    }
  }

  /** The replica's GPUs' energy from time 0 to {@code nowNs}, read from their meters, J. */
  public double energyJ(long nowNs) {
    double sum = 0;
    for (int g : index) {
      sum += meters.energyJ(g, nowNs);
    }
    return sum;
  }

  public int count() {
    return devices.length;
  }

  public GpuDevice device(int i) {
    return devices[i];
  }

  /** The cluster numbers of the replica's GPUs, stage by stage. */
  public int[] indices() {
    return index.clone();
  }
}
