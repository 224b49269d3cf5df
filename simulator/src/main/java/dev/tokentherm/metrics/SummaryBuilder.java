package dev.tokentherm.metrics;

import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.results.Summary;
import dev.tokentherm.serving.Request;

/**
 * The blocks of summary.json ({@link Summary}) that metrics and serving figures fill; keys follow
 * docs/DESIGN.md §8 and are only ever added, never renamed.
 */
public final class SummaryBuilder {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private SummaryBuilder() {}

  public static Summary.Percentiles percentiles(LatencyHistogram h) {
    return new Summary.Percentiles(h.percentileMs(50), h.percentileMs(90), h.percentileMs(99));
  }

  public static Summary.KvDeployment kv(String deployment, KvCapacity kv) {
    return new Summary.KvDeployment(deployment, kv.usableBytes() / GIB, kv.weightsBytes() / GIB,
        kv.activationPeakBytes() / GIB, kv.reserveBytes() / GIB, kv.kvBudgetBytes() / GIB, kv.kvBudgetBytes() / 1e9,
        kv.kvBytesPerToken(), kv.blockTokens(), kv.blocks(), kv.tokens(), kv.measuredBlocks());
  }

  /** One phrase/turn row of the podcast table. */
  public static Summary.Turn turn(double minute, Request r) {
    if (r == null) {
      return new Summary.Turn(minute, null, null, null, null, null, null, null, null, null, null);
    }
    return new Summary.Turn(minute, r.conversation().id(), r.turn(), r.arrivalNs() / 60e9, r.contextTokens(),
        r.prefillTokens(), r.outputTokens(), r.ttftNs() / 1e6, r.tpotNs() / 1e6, r.activeJ(), r.withIdleJ());
  }
}
