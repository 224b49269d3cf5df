package dev.tokentherm.workload.trace;

/**
 * The Azure LLM inference trace 2023 (Azure/AzurePublicDataset,
 * {@code AzureLLMInferenceTrace_{code,conv}.csv}): header {@code TIMESTAMP,ContextTokens,
 * GeneratedTokens}, one request per row.
 *
 * <ul>
 *   <li>{@code TIMESTAMP}: UTC text, {@code 2023-11-16 18:15:46.6805900}. The arrival is the exact
 *       number of nanoseconds since the first row's timestamp, so the first request arrives at 0.
 *   <li>{@code ContextTokens}: prompt tokens, an integer ≥ 1; {@code GeneratedTokens}: output
 *       tokens, an integer ≥ 0.
 * </ul>
 *
 * <p>The trace has no session and no prefix information: every request has no session and no
 * hashes. Columns may come in any order; extra columns are ignored.
 */
final class AzureCsvReader extends OrderedLineReader {
  static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";
  private static final String TIMESTAMP = "TIMESTAMP";
  private static final String CONTEXT = "ContextTokens";
  private static final String GENERATED = "GeneratedTokens";

  private final CsvHeader header;
  private final CsvFields row = new CsvFields();
  private int timestampColumn;
  private int contextColumn;
  private int generatedColumn;
  private boolean haveZero;
  private long zeroEpochNanos;

  AzureCsvReader(TraceLines lines) {
    super(lines, TIMESTAMP);
    header = new CsvHeader(lines, HEADER);
  }

  @Override
  boolean start() throws TraceException {
    if (!header.read()) {
      return false;
    }
    timestampColumn = header.required(TIMESTAMP);
    contextColumn = header.required(CONTEXT);
    generatedColumn = header.required(GENERATED);
    return true;
  }

  @Override
  void parse(String line, TraceRecord out) throws TraceException {
    header.splitRow(line, row);
    long epochNanos = AzureTimestamp.epochNanos(line, row.start(timestampColumn), row.end(timestampColumn));
    if (epochNanos == AzureTimestamp.INVALID) {
      throw lines.error(TIMESTAMP, CsvHeader.quoted(row, timestampColumn) + " is not a timestamp", AzureTimestamp.FORMAT);
    }
    if (!haveZero) {
      haveZero = true;
      zeroEpochNanos = epochNanos;
    }
    int input = header.intValue(row, contextColumn, 1, CONTEXT);
    int output = header.intValue(row, generatedColumn, 0, GENERATED);
    out.set(arrivalNs(epochNanos), input, output, TraceRecord.NO_SESSION, lines.lineNumber());
    out.clearHashes();
  }

  private long arrivalNs(long epochNanos) throws TraceException {
    try {
      return Math.subtractExact(epochNanos, zeroEpochNanos);
    } catch (ArithmeticException e) {
      throw lines.error(TIMESTAMP, "more than 292 years from the first row", "non-decreasing arrivals");
    }
  }
}
