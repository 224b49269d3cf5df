package dev.tokentherm.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of summary.json and manifest.json: Jackson's two-space pretty print, decimals plain
 * (never 1E-7), a final newline. Reading gives back the record that wrote the text, and writing
 * that record again gives the same bytes.
 */
public final class SummaryJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private SummaryJson() {}

  /** A result record (summary, manifest) as the file's text. */
  public static String text(Record value) {
    return text(JsonRecords.toTree(value));
  }

  /** A tree as the file's text. */
  public static String text(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of records always serialises", e);
    }
  }

  public static void write(Path file, Record value) throws IOException {
    Files.writeString(file, text(value), StandardCharsets.UTF_8);
  }

  /** summary.json's text as the record. */
  public static Summary read(String text) throws IOException {
    return read(text, Summary.class);
  }

  public static Summary read(Path file) throws IOException {
    return read(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * A result file's text as its record.
   *
   * @throws IOException when the text is not JSON or does not have the record's shape
   */
  public static <R extends Record> R read(String text, Class<R> type) throws IOException {
    try {
      return JsonRecords.fromTree(MAPPER.readTree(text), type);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
