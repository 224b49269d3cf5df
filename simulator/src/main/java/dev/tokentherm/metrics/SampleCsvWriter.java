package dev.tokentherm.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * timeseries.csv: per sample and deployment, requests running (the batch) and waiting, KV
 * occupancy; and, when given a second writer, devices.csv: per sample and GPU, its energy-averaged
 * power over the interval, the HBM it holds (weights, activation reserve and live KV) and its die
 * temperature at the sample instant (empty when not given), its clock and throttle reason, and its
 * utilisation over the interval (the fraction spent in iterations, NVML's utilization.gpu), its
 * inlet and its node's fan speed (empty when not given); and, when given a third writer,
 * links.csv: per sample and link of the network, its class and name, its utilisation over the
 * interval (bytes moved / (capacity × interval); empty for a link nothing bounds) and the bytes it
 * moved.
 */
public final class SampleCsvWriter implements SampleSink {
  public static final String HEADER = "time_s,deployment,running,waiting,kv_blocks_used,kv_blocks,kv_occupancy";
  public static final String LINKS_HEADER = "time_s,link_class,link,utilization_frac,bytes";
  public static final String DEVICES_HEADER = "time_s,gpu,deployment,power_w,hbm_used_gib,temp_c,clock_mhz,throttle_reason,utilization_frac,inlet_c,fan_speed";
  private final BufferedWriter out;
  private final BufferedWriter devices;
  private final BufferedWriter links;
  private final BufferedWriter tiers;
  public static final String TIERS_HEADER = "time_s,tier,capacity_bytes,used_bytes,hits,misses,bytes_in,bytes_out";
  private final StringBuilder row = new StringBuilder(96);

  /** @param devices devices.csv, or null for none */
  public SampleCsvWriter(Writer out, Writer devices) throws IOException {
    this(out, devices, null, null);
  }

  /** @param links links.csv, or null for none; @param tiers tiers.csv (per sample and KV tier), or null for none */
  public SampleCsvWriter(Writer out, Writer devices, Writer links, Writer tiers) throws IOException {
    this.tiers = tiers == null ? null : new BufferedWriter(tiers, 1 << 16);
    if (this.tiers != null) {
      this.tiers.write(TIERS_HEADER);
      this.tiers.write('\n');
    }
    this.out = out == null ? null : new BufferedWriter(out, 1 << 16);
    this.devices = devices == null ? null : new BufferedWriter(devices, 1 << 16);
    this.links = links == null ? null : new BufferedWriter(links, 1 << 16);
    if (this.links != null) {
      this.links.write(LINKS_HEADER);
      this.links.write('\n');
    }
    if (this.out != null) {
      this.out.write(HEADER);
      this.out.write('\n');
    }
    if (this.devices != null) {
      this.devices.write(DEVICES_HEADER);
      this.devices.write('\n');
    }
  }

  @Override
  public void device(DeviceSample d) throws IOException {
    if (devices == null) {
      return;
    }
    StringBuilder b = row;
    b.setLength(0);
    Num.append(b, d.timeS());
    b.append(',').append(d.gpu()).append(',').append(d.deployment()).append(',');
    Num.cell(b, d.powerW());
    Num.append(b, d.hbmUsedGib());
    b.append(',');
    if (Double.isFinite(d.tempC())) {
      Num.append(b, d.tempC());
    }
    b.append(',');
    if (Double.isFinite(d.clockMhz())) {
      Num.append(b, d.clockMhz());
    }
    b.append(',').append(d.throttleReason()).append(',');
    if (Double.isFinite(d.utilizationFrac())) {
      Num.append(b, d.utilizationFrac());
    }
    b.append(',');
    if (Double.isFinite(d.inletC())) {
      Num.append(b, d.inletC());
    }
    b.append(',');
    if (Double.isFinite(d.fanSpeed())) {
      Num.append(b, d.fanSpeed());
    }
    b.append('\n');
    devices.append(b);
  }

  @Override
  public void sample(double timeS, String deployment, int running, int waiting, long used, long blocks)
      throws IOException {
    if (out == null) {
      return;
    }
    StringBuilder b = row;
    b.setLength(0);
    Num.append(b, timeS);
    b.append(',').append(deployment).append(',').append(running).append(',').append(waiting).append(',')
        .append(used).append(',').append(blocks).append(',');
    Num.append(b, blocks > 0 ? (double) used / blocks : 0);
    b.append('\n');
    out.append(b);
  }

  @Override
  public void link(double timeS, String linkClass, String link, double utilizationFrac, double bytes)
      throws IOException {
    if (links == null) {
      return;
    }
    StringBuilder b = row;
    b.setLength(0);
    Num.append(b, timeS);
    b.append(',').append(linkClass).append(',').append(link).append(',');
    if (Double.isFinite(utilizationFrac)) {
      Num.append(b, utilizationFrac);
    }
    b.append(',');
    Num.append(b, bytes);
    b.append('\n');
    links.append(b);
  }

  @Override
  public void tier(double timeS, String tier, long capacityBytes, long usedBytes, long hits, long misses,
      long bytesIn, long bytesOut) throws IOException {
    if (tiers == null) {
      return;
    }
    StringBuilder b = row;
    b.setLength(0);
    Num.append(b, timeS);
    b.append(',').append(tier).append(',').append(capacityBytes).append(',').append(usedBytes).append(',')
        .append(hits).append(',').append(misses).append(',').append(bytesIn).append(',').append(bytesOut).append('\n');
    tiers.append(b);
  }

  @Override
  public void close() throws IOException {
    if (links != null) {
      links.close();
    }
    if (tiers != null) {
      tiers.close();
    }
    if (out != null) {
      out.close();
    }
    if (devices != null) {
      devices.close();
    }
  }
}
