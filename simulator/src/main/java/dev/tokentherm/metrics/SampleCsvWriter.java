package dev.tokentherm.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

/** timeseries.csv: per sample and deployment, requests running (the batch) and waiting, KV occupancy. */
public final class SampleCsvWriter implements SampleSink {
  public static final String HEADER = "time_s,deployment,running,waiting,kv_blocks_used,kv_blocks,kv_occupancy";
  private final BufferedWriter out;
  private final StringBuilder row = new StringBuilder(96);

  public SampleCsvWriter(Writer out) throws IOException {
    this.out = new BufferedWriter(out, 1 << 16);
    this.out.write(HEADER);
    this.out.write('\n');
  }

  @Override
  public void sample(double timeS, String deployment, int running, int waiting, long used, long blocks)
      throws IOException {
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
  public void close() throws IOException {
    out.close();
  }
}
