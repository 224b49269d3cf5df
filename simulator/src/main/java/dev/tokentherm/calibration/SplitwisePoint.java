package dev.tokentherm.calibration;

import dev.tokentherm.perf.BatchWork;
import java.util.Locale;

/**
 * One measured iteration of a {@link SplitwiseRow}: its prefill (prompt_time: one iteration of
 * batch_size chunks of prompt_size tokens after none cached, each sampling) or one of its decode
 * iterations (token_time: batch_size sequences at context prompt_size + token_size / 2).
 */
public record SplitwisePoint(SplitwiseRow row, Kind kind) {
  public enum Kind {
    PREFILL, DECODE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public double measuredS() {
    return (kind == Kind.PREFILL ? row.promptTimeMs() : row.tokenTimeMs()) * 1e-3;
  }

  /** Fills {@code w} with the iteration's work. */
  public void fill(BatchWork w) {
    w.clear();
    if (kind == Kind.PREFILL) {
      for (int i = 0; i < row.batchSize(); i++) {
        w.addPrefillChunk(row.promptSize(), 0, true);
      }
    } else {
      w.decodeSeqs = row.batchSize();
      w.samplingSeqs = row.batchSize();
      w.decodeUnits[0] = (double) row.batchSize() * row.decodeContext();
    }
  }

  /** e.g. {@code llama2-70b h100-80gb tp8 b1 p512 t128 prefill (row 17)}. */
  public String label() {
    return String.format(Locale.ROOT, "%s %s tp%d b%d p%d t%d %s (row %d)", row.model(), row.hardware(),
        row.tensorParallel(), row.batchSize(), row.promptSize(), row.tokenSize(), kind.label(), row.line());
  }
}
