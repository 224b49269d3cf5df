package dev.tokentherm.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The Mooncake traces (kvcache-ai/Mooncake, {@code FAST25-release/traces/*.jsonl}): one JSON object
 * per line, e.g. {@code {"timestamp": 27, "input_length": 6758, "output_length": 500, "hash_ids":
 * [0, 1, 2]}}.
 *
 * <ul>
 *   <li>{@code timestamp} (required): arrival in whole milliseconds since the trace's start, ≥ 0;
 *       the arrival is {@code timestamp × 10^6} ns (not shifted to the first row).
 *   <li>{@code input_length} (required): prompt tokens, ≥ 1; {@code output_length} (required):
 *       generated tokens, ≥ 0.
 *   <li>{@code hash_ids} (optional): integers ≥ 0, one per 512-token block of the prompt, in prompt
 *       order; equal ids in two requests mean the same prompt prefix up to that block, so its KV
 *       can be reused. One Mooncake block of 512 tokens is 32 KV-cache blocks of 16 tokens (the
 *       usual vLLM block): a hit on hash i covers tokens {@code [512 i, 512 (i + 1))} of the
 *       prompt, the last block possibly partial. In the shipped traces every request has exactly
 *       {@code ceil(input_length / 512)} hashes.
 * </ul>
 *
 * <p>Other fields are ignored; blank lines are skipped. Each line is parsed by its own Jackson
 * streaming parser, so a broken line is reported with its own line number.
 */
final class MooncakeJsonlReader extends OrderedLineReader {
  private static final JsonFactory JSON = new JsonFactory(); // thread-safe, immutable once built
  private static final String TIMESTAMP = "timestamp";
  private static final String INPUT = "input_length";
  private static final String OUTPUT = "output_length";
  private static final String HASHES = "hash_ids";
  private static final long NANOS_PER_MS = 1_000_000;
  private static final String ONE_OBJECT = "one JSON object per line";

  MooncakeJsonlReader(TraceLines lines) {
    super(lines, TIMESTAMP);
  }

  @Override
  boolean start() {
    return true; // no header
  }

  @Override
  void parse(String line, TraceRecord out) throws TraceException {
    try (JsonParser json = JSON.createParser(line)) {
      parseObject(json, out);
    } catch (JsonProcessingException e) {
      throw lines.error("json", "cannot parse at column " + e.getLocation().getColumnNr() + " ("
          + oneLine(e.getOriginalMessage()) + ")", ONE_OBJECT);
    } catch (IOException e) {
      throw new AssertionError("reading a String cannot fail", e);
    }
  }

  private void parseObject(JsonParser json, TraceRecord out) throws IOException, TraceException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw lines.error("json", "the line is not a JSON object", ONE_OBJECT);
    }
    long timestampMs = -1;
    long input = -1;
    long output = -1;
    out.clearHashes();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case TIMESTAMP:
          timestampMs = whole(json, field, 0, Long.MAX_VALUE / NANOS_PER_MS);
          break;
        case INPUT:
          input = whole(json, field, 1, Integer.MAX_VALUE);
          break;
        case OUTPUT:
          output = whole(json, field, 0, Integer.MAX_VALUE);
          break;
        case HASHES:
          readHashes(json, out);
          break;
        default:
          json.skipChildren(); // fields other traces may add
      }
    }
    if (json.nextToken() != null) {
      throw lines.error("json", "text after the object", ONE_OBJECT);
    }
    requirePresent(timestampMs, TIMESTAMP, "integers ≥ 0 (ms)");
    requirePresent(input, INPUT, "integers ≥ 1");
    requirePresent(output, OUTPUT, "integers ≥ 0");
    out.set(timestampMs * NANOS_PER_MS, (int) input, (int) output, TraceRecord.NO_SESSION, lines.lineNumber());
  }

  private void readHashes(JsonParser json, TraceRecord out) throws IOException, TraceException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw lines.error(HASHES, json.getText() + " is not a list", "a list of integers ≥ 0");
    }
    out.clearHashes(); // a repeated field counts once
    while (json.nextToken() != JsonToken.END_ARRAY) {
      out.addHash((int) whole(json, HASHES, 0, Integer.MAX_VALUE));
    }
  }

  /** The current value as an integer in {@code [min, max]}; messages show it as JSON wrote it. */
  private long whole(JsonParser json, String field, long min, long max) throws IOException, TraceException {
    JsonToken token = json.currentToken();
    long value = WholeNumbers.NOT_DIGITS;
    if (token == JsonToken.VALUE_NUMBER_INT) {
      value = json.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : json.getLongValue();
    }
    if (value < min || value > max) {
      throw lines.outOfRange(value, min, max, field, shown(json));
    }
    return value;
  }

  private static String shown(JsonParser json) throws IOException {
    JsonToken token = json.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return '"' + json.getText() + '"';
    }
    if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
      return token == JsonToken.START_ARRAY ? "a list" : "an object";
    }
    return json.getText();
  }

  private void requirePresent(long value, String field, String allowed) throws TraceException {
    if (value < 0) {
      throw lines.error(field, "missing", allowed);
    }
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").trim();
  }
}
