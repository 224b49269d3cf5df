package dev.tokentherm.serving;

import dev.tokentherm.workload.ConversationScript;
import dev.tokentherm.workload.TurnDraw;

/**
 * A conversation's state on its replica: its history, the KV segment the replica holds for it,
 * and its idle-energy share.
 */
public final class Conversation {
  final long id;
  Replica replica;
  final ConversationScript script;
  final TurnDraw draw = new TurnDraw();
  int turnsStarted;
  /** Tokens of the conversation so far (every prompt and reply). */
  long historyTokens;
  /** Its KV on its replica (tokens held and their blocks), owned by the replica's {@link dev.tokentherm.kv.KvMemory}. */
  final dev.tokentherm.kv.KvSegment kv;
  Request active;
  Request lastRequest;
  /** Prompts that arrived while the previous turn was still being served. */
  final java.util.ArrayDeque<Request> pending = new java.util.ArrayDeque<>(1);
  // idle share: accumulated over past residencies, plus the current one since idleMark
  boolean resident;
  double idleJ;
  double idleMark;

  /** History cached before the first turn (a probe), else 0. */
  final long preloadedTokens;

  Conversation(long id, Replica replica, ConversationScript script, long preloadedTokens) {
    this.id = id;
    this.replica = replica;
    this.script = script;
    this.preloadedTokens = preloadedTokens;
    this.historyTokens = preloadedTokens;
    this.kv = new dev.tokentherm.kv.KvSegment(this, preloadedTokens); // blocks come with the first turn
  }

  /** A probe: one request at a fixed context, reported as a probe row. */
  public boolean isProbe() {
    return script instanceof dev.tokentherm.workload.ProbeScript;
  }

  public long preloadedTokens() {
    return preloadedTokens;
  }

  public long id() {
    return id;
  }

  /** Idle energy attributed to this conversation over its residencies so far (final once ended). */
  public double idleJ() {
    return idleJ;
  }

  public Replica replica() {
    return replica;
  }

  /** Where its turns come from (tests read a synthetic script's identity and draws from it). */
  public ConversationScript script() {
    return script;
  }
}
