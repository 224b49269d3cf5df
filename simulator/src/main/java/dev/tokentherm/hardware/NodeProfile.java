package dev.tokentherm.hardware;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

/** One server: its GPUs, scale-up fabric, host links, host memory, storage and NICs. */
@Doc("A node profile (hardware-profiles/nodes/<id>.yaml)")
public record NodeProfile(
    @Required @Doc("kebab-case id, equal to the file name") String id,
    @Required @Doc("human-readable name") String name,
    @Required @Doc("GPU profile id") String gpu,
    @Required @Range(min = 1) @Doc("GPUs in the node") int gpusPerNode,
    @Required @Doc("GPU-to-GPU fabric inside the node") ScaleUp scaleUp,
    @Required @Doc("GPU↔host link, per GPU") Sourced hostLinkGbPerS,
    @Required @Doc("host DRAM, GiB") Sourced hostDramGib,
    @Required @Doc("local NVMe capacity, GiB") Sourced nvmeGib,
    @Required @Doc("local NVMe read bandwidth, 10^9 B/s") Sourced nvmeReadGbPerS,
    @Required @Doc("scale-out NICs") Nics nics,
    @Required @Doc("power of the node besides its GPUs (CPUs, fans at their minimum speed, NICs) when idle, W") Sourced hostIdleW,
    @Doc("the fans that blow the supply air through the GPUs' heat sinks and their controller (absent: fans always at full speed, their power in host_idle_w)") Fans fans,
    @Doc("host DRAM bandwidth of the node, all sockets, 10^9 B/s: a link every swap and tier copy to or from host memory crosses (absent: DRAM bounds no transfer)") Sourced dramGbPerS,
    @Doc("local NVMe write bandwidth, 10^9 B/s (absent: NVMe writes are not bounded)") Sourced nvmeWriteGbPerS)
    implements Validatable {

  /**
   * The node's fans and the controller that sets their speed (thermal.FanCurve): a speed fraction
   * s from min_speed up, rising linearly with the hottest GPU's die temperature from ramp_start_c
   * to full speed at full_speed_c (below the GPU's slowdown, so fans rise before clocks drop).
   * Airflow is s × the working fans' share; fan power max_w × that share × s³ (fan affinity law).
   */
  @Doc("Node fans: count, power at full speed and the speed-temperature curve")
  public record Fans(
      @Required @Range(min = 1) @Doc("fans in the node (a fan failure takes away its share of the airflow)") int count,
      @Required @Doc("power of all the node's fans at full speed, W") Sourced maxW,
      @Required @Doc("lowest speed, a fraction of full speed (0, 1]") Sourced minSpeed,
      @Required @Doc("hottest-GPU die temperature at which fans start to speed up from min_speed, °C") Sourced rampStartC,
      @Required @Doc("hottest-GPU die temperature at which fans reach full speed, °C") Sourced fullSpeedC)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.nonNegative(v, "max_w", maxW);
      if (!(minSpeed.value() > 0 && minSpeed.value() <= 1)) {
        v.error("min_speed.value", "is " + minSpeed.value() + "; allowed: a fraction in (0, 1]");
      }
      if (!(fullSpeedC.value() > rampStartC.value())) {
        v.error("full_speed_c.value", "is not above ramp_start_c; allowed: ramp_start_c < full_speed_c");
      }
    }
  }

  @Override
  public void validate(Validation v) {
    Physical.positive(v, "host_link_gb_per_s", hostLinkGbPerS);
    Physical.nonNegative(v, "host_dram_gib", hostDramGib);
    Physical.nonNegative(v, "nvme_gib", nvmeGib);
    Physical.positive(v, "nvme_read_gb_per_s", nvmeReadGbPerS);
    Physical.positive(v, "dram_gb_per_s", dramGbPerS);
    Physical.positive(v, "nvme_write_gb_per_s", nvmeWriteGbPerS);
    Physical.nonNegative(v, "host_idle_w", hostIdleW);
    List<CollectiveFit> allReduce = scaleUp.allReduce();
    for (int i = 0; i < allReduce.size(); i++) {
      int g = allReduce.get(i).gpus();
      if (g < 2 || g > gpusPerNode) {
        v.error("scale_up.all_reduce[" + i + "].gpus", "is " + g + "; allowed: 2 to gpus_per_node ("
            + gpusPerNode + ")");
      }
      for (int j = 0; j < i; j++) {
        if (allReduce.get(j).gpus() == g) {
          v.error("scale_up.all_reduce[" + i + "].gpus", "is " + g + " again (all_reduce[" + j
              + "]); one entry per GPU count");
        }
      }
    }
    boolean pair = false;
    for (CollectiveFit fit : scaleUp.sendRecv()) {
      pair |= fit.gpus() == 2;
    }
    if (!pair) {
      v.error("scale_up.send_recv", "has no entry for 2 GPUs; allowed: a list with a gpus: 2 entry"
          + " (pipeline stages send between two GPUs)");
    }
  }

  @Doc("Scale-up fabric (NVLink / Infinity Fabric)")
  public record ScaleUp(
      @Required @Doc("fabric name, e.g. nvlink4") String kind,
      @Required @Doc("per-GPU bandwidth per direction, 10^9 B/s") Sourced perDirectionGbPerS,
      @Required @Doc("NCCL all-reduce bus bandwidth measured over all GPUs of the node at large messages, 10^9 B/s") Sourced allReduceBusGbPerS,
      @Required @MinSize(1) @Doc("all-reduce time against message size, one entry per GPU count inside the node") List<CollectiveFit> allReduce,
      @Required @MinSize(1) @Doc("send/recv time between two GPUs of the node against message size (gpus: 2)") List<CollectiveFit> sendRecv)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.positive(v, "per_direction_gb_per_s", perDirectionGbPerS);
      Physical.positive(v, "all_reduce_bus_gb_per_s", allReduceBusGbPerS);
    }
  }

  /**
   * Time of one collective over {@code gpus} GPUs of the node for a message of s bytes:
   * min(latency + s / bandwidth, small_latency + s / small_bandwidth). NCCL picks the faster of its
   * protocols (LL for small messages, Simple for large), so the time is the lower of two lines;
   * the small regime is optional.
   */
  @Doc("Collective time t(s) = min(latency_us + s / gb_per_s, small_latency_us + s / small_gb_per_s) for s message bytes")
  public record CollectiveFit(
      @Required @Range(min = 1) @Doc("GPUs taking part") int gpus,
      @Required @Doc("large-message regime: fixed time, µs") Sourced latencyUs,
      @Required @Doc("large-message regime: message bytes per second (algorithm bandwidth), 10^9 B/s") Sourced gbPerS,
      @Doc("small-message regime (absent: one regime): fixed time, µs") Sourced smallLatencyUs,
      @Doc("small-message regime (absent: one regime): message bytes per second, 10^9 B/s") Sourced smallGbPerS)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      if ((smallLatencyUs == null) != (smallGbPerS == null)) {
        v.error("small_latency_us", "and small_gb_per_s come together; give both or neither");
      }
      Physical.positive(v, "gb_per_s", gbPerS);
      Physical.positive(v, "small_gb_per_s", smallGbPerS);
      Physical.nonNegative(v, "latency_us", latencyUs);
      Physical.nonNegative(v, "small_latency_us", smallLatencyUs);
    }
  }

  @Doc("Scale-out network interfaces")
  public record Nics(
      @Required @Range(min = 0) @Doc("NICs in the node") int count,
      @Required @Doc("line rate of one NIC, 10^9 bit/s") Sourced gbitPerS) implements Validatable {
    @Override
    public void validate(Validation v) {
      Physical.nonNegative(v, "gbit_per_s", gbitPerS);
    }
  }
}
