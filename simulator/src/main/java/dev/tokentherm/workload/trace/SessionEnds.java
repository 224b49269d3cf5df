package dev.tokentherm.workload.trace;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;

/**
 * Which rows of a trace end their session: a pre-pass over the file records each session's last
 * row, so that the replay can end a session's conversation after its last request and forget the
 * session at once, holding state only for sessions still to come back (not for every session
 * seen). Kept as one bit per row (a 2-million-row trace: 250 KB); the pass itself holds each
 * session's last row (8 bytes per session) and the reader's name table only while it runs.
 *
 * <p>Only the user CSV format has sessions; the other formats need no pass ({@link #NONE}).
 */
public final class SessionEnds {
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
   * validating every row as the replay will.
   */
  public static SessionEnds scan(Path file, TraceFormat format, long maxRows) throws TraceException {
    if (format != TraceFormat.CSV) {
      return NONE;
    }
    LongArrayList lastRowOfSession = new LongArrayList(); // by dense session id
    TraceRecord record = new TraceRecord();
    long row = 0;
    try (TraceReader reader = TraceReaders.open(file, format)) {
      while (row < maxRows && reader.next(record)) {
        long session = record.sessionId();
        if (session >= 0) {
          if (session == lastRowOfSession.size()) { // ids are dense, in order of first appearance
            lastRowOfSession.add(row);
          } else {
            lastRowOfSession.set((int) session, row);
          }
        }
        row++;
      }
    }
    long[] bits = new long[(int) ((row + 63) >>> 6)];
    for (int s = 0; s < lastRowOfSession.size(); s++) {
      long r = lastRowOfSession.getLong(s);
      bits[(int) (r >>> 6)] |= 1L << r;
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
