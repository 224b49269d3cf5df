package dev.tokentherm.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.serving.Request;

/**
 * Builds summary.json as an ordered tree with exactly formatted numbers (see {@link Num}); keys
 * follow docs/DESIGN.md §8 and are only ever added, never renamed.
 */
public final class SummaryBuilder {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final double GIB = 1024.0 * 1024 * 1024;

  private SummaryBuilder() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Puts a number (null for NaN, so JSON shows null rather than a made-up value). */
  public static void put(ObjectNode node, String key, double value) {
    node.put(key, Num.of(value));
  }

  public static ObjectNode percentiles(LatencyHistogram h) {
    ObjectNode n = object();
    put(n, "p50", h.percentileMs(50));
    put(n, "p90", h.percentileMs(90));
    put(n, "p99", h.percentileMs(99));
    return n;
  }

  public static ObjectNode kv(String deployment, KvCapacity kv) {
    ObjectNode n = object();
    n.put("deployment", deployment);
    put(n, "usable_gib_per_gpu", kv.usableBytes() / GIB);
    put(n, "weights_gib_per_gpu", kv.weightsBytes() / GIB);
    put(n, "activation_peak_gib_per_gpu", kv.activationPeakBytes() / GIB);
    put(n, "reserve_gib_per_gpu", kv.reserveBytes() / GIB);
    put(n, "budget_gib_per_gpu", kv.kvBudgetBytes() / GIB);
    put(n, "budget_gb_per_gpu", kv.kvBudgetBytes() / 1e9);
    put(n, "kv_bytes_per_token_per_gpu", kv.kvBytesPerToken());
    n.put("block_tokens", kv.blockTokens());
    n.put("blocks_per_gpu", kv.blocks());
    n.put("capacity_tokens", kv.tokens());
    n.put("measured_blocks", kv.measuredBlocks());
    return n;
  }

  /** One phrase/turn row of the podcast table. */
  public static ObjectNode turn(double minute, Request r) {
    ObjectNode n = object();
    put(n, "minute", minute);
    if (r == null) {
      n.putNull("turn");
      return n;
    }
    n.put("conversation", r.conversation().id());
    n.put("turn", r.turn());
    put(n, "start_min", r.arrivalNs() / 60e9);
    n.put("context_tokens", r.contextTokens());
    n.put("prefill_tokens", r.prefillTokens());
    n.put("output_tokens", r.outputTokens());
    put(n, "ttft_ms", r.ttftNs() / 1e6);
    put(n, "tpot_ms", r.tpotNs() / 1e6);
    put(n, "active_j", r.activeJ());
    put(n, "with_idle_j", r.withIdleJ());
    return n;
  }
}
