package dev.tokentherm.workload.trace;

import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import java.math.BigDecimal;
import java.util.List;

/**
 * The trace format for users' own traces: a UTF-8 CSV file with a header line and one request
 * per line, in arrival order.
 *
 * <pre>
 * arrival_s,input_tokens,output_tokens,session_id
 * 0,1200,250,alice
 * 0.5,800,120,
 * 31.25,1650,300,alice
 * </pre>
 *
 * <ul>
 *   <li>{@code arrival_s} (required): when the request arrives, in seconds from the trace's zero, as
 *       decimal text ({@code 12}, {@code 12.5}, {@code 1.25e-3}); converted to nanoseconds
 *       exactly, so at most nanosecond precision (9 decimals). ≥ 0 and never smaller than the
 *       row before: rows come in arrival order.
 *   <li>{@code input_tokens} (required): prompt tokens, an integer ≥ 1. For a later turn of a
 *       session, what it counts is the workload's {@code trace.input_tokens}: {@code whole} (the
 *       default) the whole prompt the model sees, the conversation so far included, so it must
 *       exceed that history (checked by {@link SessionEnds}); {@code new} only the turn's new
 *       tokens, added to the history.
 *   <li>{@code output_tokens} (required): tokens the model generates, an integer ≥ 0.
 *   <li>{@code session_id} (optional column): any text without commas. Rows with the same id are
 *       the turns of one conversation, in row order; an empty value means a request of its own.
 *       Ids become dense numbers 0, 1, 2… in order of first appearance.
 * </ul>
 *
 * <p>The header line is required and names the columns; they may come in any order; other columns are refused (a misspelt {@code session_id}
 * would otherwise be ignored). Values are not quoted and are trimmed of spaces; blank lines are
 * skipped. There are no prefix hashes in this format.
 */
final class UserCsvReader extends OrderedLineReader {
  static final String HEADER = "arrival_s,input_tokens,output_tokens[,session_id]";
  private static final String ARRIVAL = "arrival_s";
  private static final String INPUT = "input_tokens";
  private static final String OUTPUT = "output_tokens";
  private static final String SESSION = "session_id";
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE, 9);

  private final CsvHeader header;
  private final CsvFields row = new CsvFields();
  private final Object2LongOpenHashMap<String> sessions = new Object2LongOpenHashMap<>();
  private long nextSession;
  /** The session name of the row just parsed, or null. */
  private String rowSession;
  private int arrivalColumn;
  private int inputColumn;
  private int outputColumn;
  private int sessionColumn;

  UserCsvReader(TraceLines lines) {
    super(lines, ARRIVAL);
    header = new CsvHeader(lines, HEADER);
    sessions.defaultReturnValue(TraceRecord.NO_SESSION);
  }

  @Override
  boolean start() throws TraceException {
    if (!header.read()) {
      return false;
    }
    header.rejectOthers(List.of(ARRIVAL, INPUT, OUTPUT, SESSION));
    arrivalColumn = header.required(ARRIVAL);
    inputColumn = header.required(INPUT);
    outputColumn = header.required(OUTPUT);
    sessionColumn = header.optional(SESSION);
    return true;
  }

  @Override
  void parse(String line, TraceRecord out) throws TraceException {
    header.splitRow(line, row);
    long arrivalNs = arrivalNs();
    int input = header.intValue(row, inputColumn, 1, INPUT);
    int output = header.intValue(row, outputColumn, 0, OUTPUT);
    out.set(arrivalNs, input, output, sessionId(), lines.lineNumber());
    out.setSessionName(rowSession);
    out.clearHashes();
  }

  private long arrivalNs() throws TraceException {
    String text = row.text(arrivalColumn);
    BigDecimal seconds;
    try {
      seconds = new BigDecimal(text); // decimal, so "0.1" is exactly 100,000,000 ns
    } catch (NumberFormatException e) {
      seconds = null;
    }
    String allowed = "decimal seconds ≥ 0, at most 9 decimals";
    if (seconds == null || seconds.signum() < 0) {
      throw lines.error(ARRIVAL, "\"" + text + "\" is not a number of seconds ≥ 0", allowed);
    }
    if (seconds.compareTo(MAX_SECONDS) > 0) {
      throw lines.error(ARRIVAL, "\"" + text + "\" is too large", "seconds up to " + MAX_SECONDS.toPlainString());
    }
    try {
      return seconds.movePointRight(9).longValueExact();
    } catch (ArithmeticException e) {
      throw lines.error(ARRIVAL, "\"" + text + "\" is finer than a nanosecond", allowed);
    }
  }

  private long sessionId() {
    if (sessionColumn < 0 || row.start(sessionColumn) == row.end(sessionColumn)) {
      rowSession = null;
      return TraceRecord.NO_SESSION;
    }
    String name = row.text(sessionColumn);
    rowSession = name;
    long id = sessions.getLong(name);
    if (id == TraceRecord.NO_SESSION) {
      id = nextSession++; // dense, in order of first appearance
      sessions.put(name, id);
    }
    return id;
  }

  @Override
  public void sessionOver() {
    if (rowSession != null) {
      sessions.removeLong(rowSession);
      rowSession = null;
    }
  }
}
