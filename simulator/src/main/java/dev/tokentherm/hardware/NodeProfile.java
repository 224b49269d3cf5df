package dev.tokentherm.hardware;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Sourced;

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
    @Required @Doc("power of the node besides its GPUs (CPUs, fans, NICs) when idle, W") Sourced hostIdleW) {

  @Doc("Scale-up fabric (NVLink / Infinity Fabric)")
  public record ScaleUp(
      @Required @Doc("fabric name, e.g. nvlink4") String kind,
      @Required @Doc("per-GPU bandwidth per direction, 10^9 B/s") Sourced perDirectionGbPerS,
      @Required @Doc("NCCL all-reduce bus bandwidth measured over all GPUs of the node at large messages, 10^9 B/s") Sourced allReduceBusGbPerS) {}

  @Doc("Scale-out network interfaces")
  public record Nics(
      @Required @Range(min = 0) @Doc("NICs in the node") int count,
      @Required @Doc("line rate of one NIC, 10^9 bit/s") Sourced gbitPerS) {}
}
