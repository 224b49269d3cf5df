/**
 * Trace replay inputs: readers that stream a trace file as requests in arrival order, one reused
 * {@link dev.tokentherm.workload.trace.TraceRecord} at a time, without holding the file.
 *
 * <pre>{@code
 * try (TraceReader trace = TraceReaders.open(path, TraceFormat.CSV)) {
 *   TraceRecord request = new TraceRecord();
 *   while (trace.next(request)) {
 *     schedule(request.arrivalNs(), request.inputTokens(), request.outputTokens(), request.sessionId());
 *   }
 * }
 * }</pre>
 *
 * <h2>Formats</h2>
 *
 * <ul>
 *   <li>{@link dev.tokentherm.workload.trace.TraceFormat#AZURE}: the Azure LLM inference trace 2023
 *       CSV ({@code TIMESTAMP,ContextTokens,GeneratedTokens}); arrivals are exact nanoseconds since
 *       the first row's timestamp.
 *   <li>{@link dev.tokentherm.workload.trace.TraceFormat#MOONCAKE}: Mooncake JSON lines
 *       ({@code timestamp} ms, {@code input_length}, {@code output_length}, {@code hash_ids}); each
 *       hash id is a 512-token prompt block = 32 KV blocks of 16 tokens.
 *   <li>{@link dev.tokentherm.workload.trace.TraceFormat#CSV}: the user format below.
 * </ul>
 *
 * <h2>The user CSV format</h2>
 *
 * <p>A UTF-8 CSV file with a header line and one request per line, in arrival order:
 *
 * <pre>
 * arrival_s,input_tokens,output_tokens,session_id
 * 0,1200,250,alice
 * 0.5,800,120,
 * 31.25,1650,300,alice
 * </pre>
 *
 * <ul>
 *   <li>{@code arrival_s} (required): arrival in seconds from the trace's zero, decimal text
 *       ({@code 12}, {@code 12.5}, {@code 1.25e-3}), converted to nanoseconds exactly (at most 9
 *       decimals); ≥ 0 and never below the row before.
 *   <li>{@code input_tokens} (required): prompt tokens, an integer ≥ 1; for a later turn of a
 *       session, {@code trace.input_tokens: whole} (the default) counts the whole prompt the model
 *       sees, the conversation so far included (it must be longer than that history), {@code new}
 *       only the turn's new tokens.
 *   <li>{@code output_tokens} (required): generated tokens, an integer ≥ 0.
 *   <li>{@code session_id} (optional column): text without commas; rows with the same id are the
 *       turns of one conversation, in row order; an empty value is a request of its own. Ids
 *       become dense numbers 0, 1, 2… in order of first appearance; the name itself goes to the
 *       outputs ({@code trace_session}), held only while the session is live.
 * </ul>
 *
 * <p>Columns may come in any order; unknown columns are refused; values are unquoted and trimmed;
 * blank lines are skipped.
 *
 * <h2>Errors</h2>
 *
 * <p>A bad trace is a {@link dev.tokentherm.workload.trace.TraceException} with a one-line message,
 * {@code file:line: field: what is wrong; allowed: what is allowed}, for example
 * {@code trace.csv:17: output_tokens: "-3" is not a whole number ≥ 0; allowed: integers ≥ 0} or
 * {@code trace.csv:9: arrival_s: goes back in time (12.5 s after 13.0 s); allowed: non-decreasing
 * arrivals}; a file without any request gives {@code trace.csv: the trace is empty}.
 */
package dev.tokentherm.workload.trace;
