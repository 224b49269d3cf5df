package dev.tokentherm.net;

/**
 * The run's {@link Network} and the ids of its links by where they are: each GPU's host link (PCIe
 * or NVLink-C2C), and each node's host DRAM, NVMe read, NVMe write and NICs (all of a node's NICs as
 * one link). Built once per run from the placement (sim); swap and tier traffic look their routes up
 * here.
 */
public final class Links {
  public static final String HOST_LINK = "host-link";
  public static final String DRAM = "dram";
  public static final String NVME_READ = "nvme-read";
  public static final String NVME_WRITE = "nvme-write";
  public static final String NIC = "nic";

  private final Network network;
  private final int[] hostLink;
  private final int[] nodeOfGpu;
  private final int[] dram;
  private final int[] nvmeRead;
  private final int[] nvmeWrite;
  private final int[] nic;

  /** Link ids by GPU ({@code hostLink}, {@code nodeOfGpu}) and by node (the rest). */
  public Links(Network network, int[] hostLink, int[] nodeOfGpu, int[] dram, int[] nvmeRead, int[] nvmeWrite,
      int[] nic) {
    this.network = network;
    this.hostLink = hostLink;
    this.nodeOfGpu = nodeOfGpu;
    this.dram = dram;
    this.nvmeRead = nvmeRead;
    this.nvmeWrite = nvmeWrite;
    this.nic = nic;
  }

  public Network network() {
    return network;
  }

  public int hostLink(int gpu) {
    return hostLink[gpu];
  }

  public int node(int gpu) {
    return nodeOfGpu[gpu];
  }

  public int dram(int node) {
    return dram[node];
  }

  public int nvmeRead(int node) {
    return nvmeRead[node];
  }

  public int nvmeWrite(int node) {
    return nvmeWrite[node];
  }

  public int nic(int node) {
    return nic[node];
  }

  /** The route between a GPU and its node's host memory: its host link, then the node's DRAM. */
  public int[] gpuToHost(int gpu) {
    return new int[] {hostLink[gpu], dram[nodeOfGpu[gpu]]};
  }
}
