package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.scenario.TraceSpec;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.TraceScript;
import dev.tokentherm.workload.trace.TraceException;
import dev.tokentherm.workload.trace.TraceFormat;
import dev.tokentherm.workload.trace.TraceReader;
import dev.tokentherm.workload.trace.TraceReaders;
import dev.tokentherm.workload.trace.SessionEnds;
import dev.tokentherm.workload.trace.TraceProblems;
import dev.tokentherm.kv.prefix.BlockKeys;
import dev.tokentherm.workload.trace.TraceRecord;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.nio.file.Path;

/**
 * Replays a trace, reading it one record ahead: each record arrives at its own time. A record
 * without a session is a one-turn conversation whose prompt is its input tokens; the records of a
 * session are the turns of one conversation. With {@code trace.input_tokens: whole} each prompt is
 * its input tokens of which the history is cached (new tokens = input − history; the pre-pass has
 * refused any row not longer than its history); with {@code new} the input tokens are the turn's
 * new tokens on top of the history. Replies last max(1, output tokens).
 *
 * <p>Each turn carries its trace line and the conversation the session's name (while the
 * conversation lives), for requests.csv and conversations.csv.
 *
 * <p>Bounded memory, defined order: a pre-pass ({@link SessionEnds}) marks each session's last
 * row, so the turn of that row is the conversation's last: the conversation ends when its reply
 * is out (its KV is freed and its idle-energy share stops there, not at the trace's end), and the
 * driver and the reader forget the session at once. State is held only for sessions still to come
 * back, and conversations end in the order the simulation finishes their last turns.
 */
final class TraceDriver implements EventHandler {
  /** Called to start a conversation (id assigned by the simulation) and to report work done. */
  interface Host {
    long newConversation();

    void conversationStarted();

    void sourceDone();
  }

  private final Engine engine;
  private final Fleet fleet;
  private final String file;
  private final TraceReader reader;
  private final SessionEnds sessionEnds;
  private final TraceRecord record = new TraceRecord();
  private final Host host;
  private final int key;
  private final long maxRequests;
  private final boolean newTokens;
  /** Sessions still to come back: their conversation and its script. */
  private final Long2LongOpenHashMap conversationOfSession = new Long2LongOpenHashMap();
  private final Long2ObjectOpenHashMap<TraceScript> scriptOfSession = new Long2ObjectOpenHashMap<>();
  private long read;
  /** The current record ends its session. */
  private boolean endsSession;

  /**
   * Runs the pre-pass; bad rows go to {@code problems}, and then the driver must not be started.
   */
  TraceDriver(Engine engine, Fleet fleet, TraceSpec spec, Path baseDir, Host host, int key, TraceProblems problems)
      throws TraceException {
    this.engine = engine;
    this.fleet = fleet;
    this.host = host;
    this.key = key;
    Path path = baseDir.resolve(spec.path());
    this.file = path.toString();
    TraceFormat format = TraceFormat.valueOf(spec.format().toUpperCase(java.util.Locale.ROOT));
    long max = spec.maxRequests() == null ? Long.MAX_VALUE : spec.maxRequests();
    SessionEnds.InputTokens input = SessionEnds.InputTokens.of(spec.inputTokens());
    this.newTokens = input == SessionEnds.InputTokens.NEW;
    this.sessionEnds = SessionEnds.scan(path, format, max, input, problems);
    // replay exactly the rows the pass saw (a file that grew meanwhile adds nothing)
    this.maxRequests = sessionEnds.rows() >= 0 ? sessionEnds.rows() : max;
    this.reader = problems.any() ? null : TraceReaders.open(path, format); // bad rows: never started
    conversationOfSession.defaultReturnValue(-1);
  }

  /** Schedules the first record (returns false when the trace is empty of requests). */
  boolean start() throws TraceException {
    return scheduleNext();
  }

  private boolean scheduleNext() throws TraceException {
    if (read >= maxRequests || !reader.next(record)) {
      reader.close();
      if (!scriptOfSession.isEmpty()) { // the pass saw these sessions end later: the file changed
        throw TraceException.ofFile(file, "changed while it was replayed");
      }
      return false;
    }
    endsSession = record.sessionId() >= 0 && sessionEnds.endsSession(read);
    if (endsSession) {
      reader.sessionOver();
    }
    read++;
    engine.schedule(Math.max(engine.now(), record.arrivalNs()), Phase.ARRIVAL, key, this, 0);
    return true;
  }

  @Override
  public void onEvent(Engine e, long arg) {
    long now = e.now();
    int output = Math.max(1, record.outputTokens());
    long session = record.sessionId();
    long id = session < 0 ? -1 : conversationOfSession.get(session);
    long history = id < 0 ? -1 : fleet.historyTokens(id);
    if (history < 0) { // a new conversation (or a session whose conversation ended: rejected)
      id = host.newConversation();
      TraceScript script = new TraceScript(record.sessionName());
      script.add(record.inputTokens(), output, session < 0 || endsSession, blockKeys(), record.line());
      host.conversationStarted();
      if (session >= 0 && !endsSession) {
        conversationOfSession.put(session, id);
        scriptOfSession.put(session, script);
      } else if (session >= 0) {
        forget(session);
      }
      fleet.startConversation(id, script, now);
    } else {
      // whole: the pre-pass saw input > the trace's history, which the conversation's equals
      // (max(1, …) only guards a conversation that could differ from its rows)
      int added = newTokens ? record.inputTokens() : (int) Math.max(1, record.inputTokens() - history);
      scriptOfSession.get(session).add(added, output, endsSession, null, record.line());
      if (endsSession) {
        forget(session);
      }
      fleet.promptArrives(id, now);
    }
    try {
      if (!scheduleNext()) {
        host.sourceDone(); // every conversation has its last turn: they end as they finish
      }
    } catch (TraceException ex) {
      throw new TraceFailure(ex);
    }
  }

  /** The session has no more rows: drop its state (its conversation ends with the queued last turn). */
  private void forget(long session) {
    conversationOfSession.remove(session);
    scriptOfSession.remove(session);
  }

  /** The record's prompt blocks as prefix-cache keys (one 512-token hash = 32 blocks of 16), or null. */
  private long[] blockKeys() {
    if (record.hashCount() == 0) {
      return null;
    }
    int blockTokens = fleet.blockTokens();
    long[] hashes = new long[record.hashCount()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = record.hashId(i);
    }
    long[] out = new long[BlockKeys.blocksFor(record.inputTokens(), blockTokens)];
    int n = BlockKeys.expand(hashes, hashes.length, record.inputTokens(), TraceRecord.TOKENS_PER_HASH, blockTokens, out);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  /** A bad record found mid-run: the simulation turns it back into the trace's one-line error. */
  static final class TraceFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TraceFailure(TraceException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
