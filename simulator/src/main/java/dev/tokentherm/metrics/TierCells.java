package dev.tokentherm.metrics;

import dev.tokentherm.kv.tier.Tiers;
import dev.tokentherm.serving.Request;

/**
 * The KV tier cells of a request's row: where its conversation's KV was found when it was admitted
 * (hbm, dram, nvme, remote, none), how long its prefill waited for the KV to come up from a lower
 * tier (ms), and the tokens of its history prefilled again; empty for a request never admitted.
 */
final class TierCells {
  private TierCells() {}

  /** Appends {@code ,kv_tier,load_ms,recomputed_tokens}. */
  static void append(StringBuilder b, Request r) {
    b.append(',');
    if (r.queueNs() < 0) {
      b.append(",,");
      return;
    }
    b.append(Tiers.name(r.kvTier())).append(',');
    Num.cell(b, r.loadNs() / 1e6);
    b.append(r.recomputedTokens());
  }
}
