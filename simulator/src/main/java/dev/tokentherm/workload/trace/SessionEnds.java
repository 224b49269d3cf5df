package dev.tokentherm.workload.trace;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;

/**
 * Which rows of a trace end their session: a pre-pass over the file records each session's last
 * row, so that the replay can end a session's conversation after its last request and forget the
 * session at once, holding state only for sessions still to come back (not for every session
 * seen). Kept as one bit per row (a 2-million-row trace: 250 KB); the pass itself holds each
 * session's last row and its history so far (16 bytes per session) and the reader's name table
 * only while it runs.
 *
 * <p>The pass also checks every row as the replay will, and goes on past a bad row, so that all
 * of them are reported before the run starts ({@link TraceProblems}). With {@link
 * InputTokens#WHOLE} a later turn's input must exceed the session's history so far (the previous
 * prompt and its reply): the history is known from the rows themselves, so a trace that counts
 * per-turn tokens fails here, row by row, instead of being cut to one new token per turn.
 *
 * <p>Only the user CSV format has sessions; for the other formats the replay needs no pass
 * ({@link #NONE}), and {@link #check} reads them for {@code validate}.
 */
public final class SessionEnds {
  /** What a session row's {@code input_tokens} counts ({@code trace.input_tokens}). */
  public enum InputTokens {
    /** The whole prompt, the conversation's history included. */
    WHOLE,
    /** Only the turn's new tokens, on top of the history. */
    NEW;

    /** {@code "whole"} or {@code "new"}, as the scenario writes it; null = the default, whole. */
    public static InputTokens of(String text) {
      return text == null ? WHOLE : valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A trace without sessions: no row ends one. */
  public static final SessionEnds NONE = new SessionEnds(new long[0], -1);

  private final long[] lastRows;
  private final long rows;

  private SessionEnds(long[] lastRows, long rows) {
    this.lastRows = lastRows;
    this.rows = rows;
  }

  /**
   * Reads the first {@code maxRows} requests of {@code file} (all of it when there are fewer),
   * validating every row as the replay will; bad rows go to {@code problems} (the result is then
   * not for replaying). Throws for a problem of the whole file (missing, empty, bad header).
   */
  public static SessionEnds scan(Path file, TraceFormat format, long maxRows, InputTokens input,
      TraceProblems problems) throws TraceException {
    if (format != TraceFormat.CSV) {
      return NONE;
    }
    return pass(file, format, maxRows, input, problems);
  }

  /** Reads and checks every row of a trace of any format (for {@code validate}). */
  public static void check(Path file, TraceFormat format, long maxRows, InputTokens input,
      TraceProblems problems) throws TraceException {
    pass(file, format, maxRows, input, problems);
  }

  private static SessionEnds pass(Path file, TraceFormat format, long maxRows, InputTokens input,
      TraceProblems problems) throws TraceException {
    LongArrayList lastRowOfSession = new LongArrayList(); // by dense session id; -1: no good row
    LongArrayList historyOfSession = new LongArrayList(); // tokens so far: prompts and replies
    TraceRecord record = new TraceRecord();
    String name = file.toString();
    long row = 0;
    try (TraceReader reader = TraceReaders.open(file, format)) {
      while (row < maxRows) {
        try {
          if (!reader.next(record)) {
            break;
          }
        } catch (TraceException e) {
          if (!e.isRow()) {
            throw e;
          }
          problems.add(e);
          row++;
          continue;
        }
        long session = record.sessionId();
        if (session >= 0) {
          while (session >= lastRowOfSession.size()) { // ids are dense, in order of first appearance
            lastRowOfSession.add(-1);
            historyOfSession.add(-1);
          }
          int s = (int) session;
          long history = historyOfSession.getLong(s);
          long reply = Math.max(1, record.outputTokens()); // replies last at least one token
          if (history < 0) {
            historyOfSession.set(s, record.inputTokens() + reply);
          } else if (input == InputTokens.NEW) {
            historyOfSession.set(s, history + record.inputTokens() + reply);
          } else if (record.inputTokens() <= history) {
            problems.add(TraceException.atLine(name, record.line(), "input_tokens", record.inputTokens()
                + " is not longer than session \"" + record.sessionName() + "\"'s history so far, " + history
                + " tokens (its previous prompt and reply)", "with trace.input_tokens: whole (the default),"
                + " a later turn's whole prompt, history included, so more than " + history
                + "; set trace.input_tokens: new if the trace counts each turn's new tokens"));
            historyOfSession.set(s, history + 1 + reply); // as if one new token: later rows checked alike
          } else {
            historyOfSession.set(s, record.inputTokens() + reply);
          }
          lastRowOfSession.set(s, row);
        }
        row++;
      }
    }
    if (problems.any()) {
      return NONE;
    }
    long[] bits = new long[(int) ((row + 63) >>> 6)];
    for (int s = 0; s < lastRowOfSession.size(); s++) {
      long r = lastRowOfSession.getLong(s);
      if (r >= 0) {
        bits[(int) (r >>> 6)] |= 1L << r;
      }
    }
    return new SessionEnds(bits, row);
  }

  /** Whether request {@code row} (0, 1, … in file order) is the last of its session. */
  public boolean endsSession(long row) {
    long word = row >>> 6;
    return word < lastRows.length && (lastRows[(int) word] & (1L << row)) != 0;
  }

  /** Requests the pass read, or -1 for {@link #NONE} (not counted). */
  public long rows() {
    return rows;
  }
}
