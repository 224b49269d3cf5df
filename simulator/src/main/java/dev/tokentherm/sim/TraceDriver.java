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
import dev.tokentherm.kv.prefix.BlockKeys;
import dev.tokentherm.workload.trace.TraceRecord;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.nio.file.Path;

/**
 * Replays a trace, reading it one record ahead: each record arrives at its own time. A record
 * without a session is a one-turn conversation whose prompt is its input tokens; the records of a
 * session are the turns of one conversation, each prompt its input tokens of which the history is
 * cached (new tokens = input − history, at least 1). Replies last max(1, output tokens).
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
  private final TraceReader reader;
  private final TraceRecord record = new TraceRecord();
  private final Host host;
  private final int key;
  private final long maxRequests;
  private final Long2LongOpenHashMap conversationOfSession = new Long2LongOpenHashMap();
  private final Long2ObjectOpenHashMap<TraceScript> scripts = new Long2ObjectOpenHashMap<>();
  private long read;

  TraceDriver(Engine engine, Fleet fleet, TraceSpec spec, Path baseDir, Host host, int key) throws TraceException {
    this.engine = engine;
    this.fleet = fleet;
    this.host = host;
    this.key = key;
    this.maxRequests = spec.maxRequests() == null ? Long.MAX_VALUE : spec.maxRequests();
    this.reader = TraceReaders.open(baseDir.resolve(spec.path()), TraceFormat.valueOf(spec.format().toUpperCase(java.util.Locale.ROOT)));
    conversationOfSession.defaultReturnValue(-1);
  }

  /** Schedules the first record (returns false when the trace is empty of requests). */
  boolean start() throws TraceException {
    return scheduleNext();
  }

  private boolean scheduleNext() throws TraceException {
    if (read >= maxRequests || !reader.next(record)) {
      reader.close();
      return false;
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
    if (history < 0) { // a new conversation (or a session whose conversation ended)
      id = host.newConversation();
      TraceScript script = new TraceScript();
      script.add(record.inputTokens(), output, session < 0, blockKeys());
      host.conversationStarted();
      if (session >= 0) {
        conversationOfSession.put(session, id);
        scripts.put(id, script);
      }
      fleet.startConversation(id, script, now);
    } else {
      scripts.get(id).add((int) Math.max(1, record.inputTokens() - history), output, false);
      fleet.promptArrives(id, now);
    }
    try {
      if (!scheduleNext()) {
        for (long conversation : scripts.keySet().toLongArray()) {
          fleet.endWhenIdle(conversation, now); // the trace has no more turns of any session
        }
        host.sourceDone();
      }
    } catch (TraceException ex) {
      throw new TraceFailure(ex);
    }
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
