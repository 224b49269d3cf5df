package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.tier.KvTiers;
import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.metrics.DeviceSample;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.power.GpuDevices;
import dev.tokentherm.thermal.RcModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Samples the run every sample interval: each deployment's running and waiting requests and KV
 * occupancy (timeseries.csv), each GPU's energy-averaged power, the HBM it holds and its die
 * temperature at the sample instant, its clock and its utilisation over the interval (devices.csv, the GPUs no deployment uses included), and the fleet's totals for the window's steady-state
 * check. Each sample goes to the {@link OverloadDetector}; the sampler stops the run when it finds
 * the run unstable, and stops sampling when no work is left.
 */
final class Sampler implements EventHandler {
  private final SampleSink sink;
  private final long intervalNs;
  private final GpuMeters meters;
  private final RcModel thermal;
  /** The GPUs, for each one's clock and its reason. */
  private final GpuDevices devices;
  private final List<Fleet> fleets;
  private final List<Replica> replicas;
  /** Each GPU's deployment number, or the deployment count for a GPU no deployment uses. */
  private final int[] groupOf;
  /** The group of the GPUs no deployment uses (the last). */
  private final int unusedGroup;
  private final RunMetrics metrics;
  private final SteadyStateCheck steadyState;
  private final OverloadDetector overload;
  private final LiveWork work;
  /** Each GPU's energy at the previous sample, J. */
  private final double[] lastEnergyJ;
  /** The cooling, for fan speeds, or null (cooling none). */
  private final CoolingTicks cooling;
  /** The KV tiers below HBM (tiers.csv), or null. */
  private KvTiers tiers;
  /** Each GPU's busy time at the previous sample, ns (GpuDevice#busyNs). */
  private final double[] lastBusyNs;
  /** links.csv's rows, or null when not written. */
  private LinkSampler links;
  /** Each replica's place in its deployment, by its index. */
  private final int[] place;

  /** Schedules the first sample one interval in. */
  Sampler(Engine engine, SampleSink sink, long intervalNs, GpuDevices devices, List<Fleet> fleets,
      List<Replica> replicas, int[] groupOf, RunMetrics metrics, SteadyStateCheck steadyState,
      OverloadDetector overload, LiveWork work, CoolingTicks cooling) {
    this.cooling = cooling;
    this.sink = sink;
    this.intervalNs = intervalNs;
    this.devices = devices;
    this.meters = devices.meters();
    this.thermal = devices.thermal();
    this.fleets = fleets;
    this.replicas = replicas;
    this.groupOf = groupOf;
    this.unusedGroup = meters.groupCount() - 1;
    this.metrics = metrics;
    this.steadyState = steadyState;
    this.overload = overload;
    this.work = work;
    this.lastEnergyJ = new double[meters.gpus()];
    this.lastBusyNs = new double[meters.gpus()];
    this.place = new int[replicas.size()];
    for (Fleet f : fleets) {
      for (int k = 0; k < f.replicas().size(); k++) {
        place[f.replicas().get(k).index()] = k;
      }
    }
    engine.schedule(intervalNs, Phase.SAMPLE, 0, this, 0);
  }

  /** Samples the links too (links.csv). */
  void sampleLinks(LinkSampler linkSampler) {
    this.links = linkSampler;
  }

  @Override
  public void onEvent(Engine e, long arg) {
    try {
      devices(e.now());
      if (links != null) {
        links.sample(e.now());
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    long waitingAll = 0;
    long usedAll = 0;
    long blocksAll = 0;
    for (Fleet f : fleets) {
      int running = 0;
      int waiting = 0;
      long used = 0;
      long blocks = 0;
      for (Replica r : f.replicas()) {
        running += r.runningRequests();
        waiting += r.waitingRequests();
        used += r.blocks().live();
        blocks += r.blocks().capacity();
      }
      waitingAll += waiting;
      usedAll += used;
      blocksAll += blocks;
      try {
        sink.sample(e.now() * 1e-9, f.replicas().get(0).deployment(), running, waiting, used, blocks);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    if (tiers != null) {
      tierRows(e.now());
    }
    try {
      sink.tokens(e.now() * 1e-9, metrics.counters().runOutputTokens(), metrics.counters().goodOutputTokens());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    if (overload.livelocked()) {
      e.stop();
      return;
    }
    long evicted = 0;
    for (Replica r : replicas) {
      evicted += r.kvMemory().blocksEvicted();
    }
    steadyState.sample(e.now(), waitingAll, usedAll, blocksAll, evicted, metrics.counters().runRequestsArrived(),
        metrics.counters().runRequestsCompleted());
    if (overload.overloaded(e.now(), waitingAll)) {
      e.stop();
      return;
    }
    if (work.any()) {
      e.schedule(e.now() + intervalNs, Phase.SAMPLE, 0, this, 0);
    }
  }

  /** Samples the KV tiers too (tiers.csv); returns this sampler. */
  Sampler tiers(KvTiers tiers) {
    this.tiers = tiers;
    return this;
  }

  /** One row per tier: HBM (its live KV blocks' bytes over every replica's GPUs) and those below. */
  private void tierRows(long nowNs) {
    try {
      for (int t = Tiers.HBM; t < Tiers.COUNT; t++) {
        KvTiers.Totals x = tiers.totals(t);
        long used = t == Tiers.HBM ? hbmUsedBytes() : tiers.usedBytes(t);
        sink.tier(nowNs * 1e-9, Tiers.name(t), x.capacityBytes(), used, x.hits(), x.misses(), x.bytesIn(),
            x.bytesOut());
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private long hbmUsedBytes() {
    long bytes = 0;
    for (Replica r : replicas) {
      bytes += (long) Math.ceil(r.blocks().live() * r.capacity().blockBytes()) * r.gpuCount();
    }
    return bytes;
  }

  /**
   * Each GPU's energy-averaged power over the interval, the HBM it holds, its die temperature, clock
   * and reason, and its utilisation: the busy time over the interval (GpuDevice#busyNs), an
   * iteration across the sample instant split there.
   */
  private void devices(long now) throws IOException {
    double seconds = intervalNs * 1e-9;
    for (Replica r : replicas) {
      var kv = r.capacity();
      double hbm = kv.weightsBytes() + kv.activationPeakBytes() + kv.reserveBytes()
          + r.blocks().live() * kv.blockBytes();
      sink.replica(now * 1e-9, r.deployment(), place[r.index()], r.runningRequests(), r.waitingRequests(),
          r.blocks().live(), r.blocks().capacity(), r.gpus());
      for (int g : r.gpus()) {
        double energy = meters.energyJ(g, now);
        var d = devices.device(g);
        double busy = d.busyNs(now);
        sink.device(new DeviceSample(now * 1e-9, g, r.deployment(), (energy - lastEnergyJ[g]) / seconds,
            hbm / (1024.0 * 1024 * 1024), tempC(g, now), d.clockMhz(), d.clockReason(),
            (busy - lastBusyNs[g]) / intervalNs, inletC(g), fanSpeed(g)));
        lastEnergyJ[g] = energy;
        lastBusyNs[g] = busy;
      }
    }
    unusedDevices(now, seconds);
  }

  /** GPU {@code g}'s die temperature now, °C; NaN without a thermal model (cooling none). */
  private double tempC(int g, long now) {
    return thermal == null ? Double.NaN : thermal.tempC(g, now);
  }

  /** GPU {@code g}'s inlet air (or coolant) now, °C; NaN without a thermal model. */
  private double inletC(int g) {
    return thermal == null ? Double.NaN : thermal.inletC(g);
  }

  /** The fan speed of GPU {@code g}'s node now, a fraction; NaN without a thermal model. */
  private double fanSpeed(int g) {
    return cooling == null ? Double.NaN : cooling.fanSpeedOfGpu(g);
  }

  /** devices.csv rows of the GPUs no deployment uses (deployment {@code unused}, no HBM held). */
  private void unusedDevices(long now, double seconds) throws IOException {
    for (int g = 0; g < groupOf.length; g++) {
      if (groupOf[g] == unusedGroup) {
        double energy = meters.energyJ(g, now);
        sink.device(new DeviceSample(now * 1e-9, g, "unused", (energy - lastEnergyJ[g]) / seconds, 0, tempC(g, now),
            Double.NaN, "none", 0, inletC(g), fanSpeed(g)));
        lastEnergyJ[g] = energy;
      }
    }
  }
}
