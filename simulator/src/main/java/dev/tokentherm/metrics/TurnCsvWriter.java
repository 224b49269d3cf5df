package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * conversations.csv: one row per turn as it closes, numbers formatted by {@link Num}. Every
 * cell is a number or empty but the trace session's name ({@link TraceCells}) and the deployment's
 * name (which holds no comma or quote).
 */
public final class TurnCsvWriter implements TurnSink {
  public static final String HEADER = "conversation,turn,replica,start_min,context_tokens,new_tokens,"
      + "prefill_tokens,output_tokens,ttft_ms,tpot_ms,max_tbt_ms,e2e_ms,active_j,with_idle_j,"
      + "trace_session,trace_line,deployment,kv_tier,load_ms,recomputed_tokens";
  private final BufferedWriter out;

  public TurnCsvWriter(Writer out) throws IOException {
    this.out = new BufferedWriter(out, 1 << 16);
    this.out.write(HEADER);
    this.out.write('\n');
  }

  private final StringBuilder row = new StringBuilder(192);

  @Override
  public void turn(Request r) throws IOException {
    StringBuilder b = row;
    b.setLength(0);
    b.append(r.conversation().id()).append(',')
        .append(r.turn()).append(',')
        .append(r.conversation().replica().index()).append(',');
    Num.cell(b, r.arrivalNs() / 60e9);
    b.append(r.contextTokens()).append(',')
        .append(r.newTokens()).append(',')
        .append(r.prefillTokens()).append(',')
        .append(r.outputTokens()).append(',');
    Num.cell(b, r.ttftNs() / 1e6);
    Num.cell(b, r.tpotNs() / 1e6);
    Num.cell(b, r.maxTbtNs() < 0 ? Double.NaN : r.maxTbtNs() / 1e6);
    Num.cell(b, r.e2eNs() / 1e6);
    Num.cell(b, r.activeJ());
    if (Double.isFinite(r.withIdleJ())) {
      Num.append(b, r.withIdleJ());
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
