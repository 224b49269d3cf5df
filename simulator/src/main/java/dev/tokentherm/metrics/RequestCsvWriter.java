package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

/** requests.csv: one row per request, written when its fate is known; empty cells where undefined. */
public final class RequestCsvWriter implements RequestSink {
  public static final String HEADER = "conversation,turn,replica,status,arrival_s,context_tokens,prefill_tokens,"
      + "output_tokens,queue_ms,ttft_ms,tpot_ms,max_tbt_ms,e2e_ms,active_j,"
      + "trace_session,trace_line,deployment,kv_tier,load_ms,recomputed_tokens";
  private final BufferedWriter out;
  private final StringBuilder row = new StringBuilder(192);

  public RequestCsvWriter(Writer out) throws IOException {
    this.out = new BufferedWriter(out, 1 << 16);
    this.out.write(HEADER);
    this.out.write('\n');
  }

  @Override
  public void request(Request r, String status) throws IOException {
    StringBuilder b = row;
    b.setLength(0);
    b.append(r.conversation().id()).append(',').append(r.turn()).append(',')
        .append(r.conversation().replica().index()).append(',').append(status).append(',');
    Num.cell(b, r.arrivalNs() * 1e-9);
    b.append(r.contextTokens()).append(',').append(r.prefillTokens()).append(',').append(r.outputTokens()).append(',');
    boolean done = r.doneNs() >= 0;
    Num.cell(b, r.queueNs() >= 0 ? r.queueNs() / 1e6 : Double.NaN);
    Num.cell(b, r.firstTokenNs() >= 0 ? r.ttftNs() / 1e6 : Double.NaN);
    Num.cell(b, done ? r.tpotNs() / 1e6 : Double.NaN);
    Num.cell(b, done && r.maxTbtNs() >= 0 ? r.maxTbtNs() / 1e6 : Double.NaN);
    Num.cell(b, done ? r.e2eNs() / 1e6 : Double.NaN);
    if (r.activeJ() > 0) {
      Num.append(b, r.activeJ());
    }
    b.append(',');
    TraceCells.append(b, r);
    b.append(',').append(r.conversation().replica().deployment());
    TierCells.append(b, r);
    b.append('\n');
    out.append(b);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
