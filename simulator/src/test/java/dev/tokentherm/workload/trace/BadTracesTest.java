package dev.tokentherm.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad trace gives exactly one line that names the file, the line, the field and the rule. */
class BadTracesTest {
  private static final String USER_HEADER = "arrival_s,input_tokens,output_tokens[,session_id]";

  @TempDir Path dir;

  // ---- user CSV ----

  @Test
  void negativeOutputTokens() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n0,10,5\n1,10,-3\n",
        ":3: output_tokens: \"-3\" is not a whole number ≥ 0; allowed: integers ≥ 0");
  }

  @Test
  void noInputTokens() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n0,0,5\n",
        ":2: input_tokens: \"0\" is not a whole number ≥ 1; allowed: integers ≥ 1");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "12.5      | \"12.5\" is not a whole number ≥ 0; allowed: integers ≥ 0",
      "+3        | \"+3\" is not a whole number ≥ 0; allowed: integers ≥ 0",
      "''        | \"\" is not a whole number ≥ 0; allowed: integers ≥ 0",
      "2147483648| \"2147483648\" is too large; allowed: integers from 0 to 2147483647",
      "99999999999999999999999| \"99999999999999999999999\" is too large; allowed: integers from 0 to 2147483647"})
  void badTokenCounts(String value, String expected) {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n0,10," + value + "\n",
        ":2: output_tokens: " + expected);
  }

  @Test
  void arrivalsGoBackInTime() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n\n13,10,5\n12.5,10,5\n",
        ":4: arrival_s: goes back in time (12.5 s after 13.0 s); allowed: non-decreasing arrivals");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc          | \"abc\" is not a number of seconds ≥ 0; allowed: decimal seconds ≥ 0, at most 9 decimals",
      "-1           | \"-1\" is not a number of seconds ≥ 0; allowed: decimal seconds ≥ 0, at most 9 decimals",
      "''           | \"\" is not a number of seconds ≥ 0; allowed: decimal seconds ≥ 0, at most 9 decimals",
      "1.0000000001 | \"1.0000000001\" is finer than a nanosecond; allowed: decimal seconds ≥ 0, at most 9 decimals",
      "1e10         | \"1e10\" is too large; allowed: seconds up to 9223372036.854775807"})
  void badArrivals(String value, String expected) {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n" + value + ",10,5\n", ":2: arrival_s: " + expected);
  }

  @Test
  void headerWithoutAColumn() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens\n0,10\n",
        ":1: header: no column \"output_tokens\"; allowed: the header " + USER_HEADER);
  }

  @Test
  void headerWithAMisspeltColumn() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens,sesion_id\n0,10,5,a\n",
        ":1: header: unknown column \"sesion_id\"; allowed: the header " + USER_HEADER);
  }

  @Test
  void headerWithAColumnTwice() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens,input_tokens\n0,10,5,5\n",
        ":1: header: column \"input_tokens\" appears twice; allowed: the header " + USER_HEADER);
  }

  @Test
  void rowWithAMissingValue() {
    assertMessage(TraceFormat.CSV, "arrival_s,input_tokens,output_tokens\n0,10,5\n1,10\n",
        ":3: row: 2 values but the header has 3 columns; allowed: one value per column of " + USER_HEADER + ", no quoting");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"''", "'arrival_s,input_tokens,output_tokens\n'", "'\n  \n\n'",
      "'arrival_s,input_tokens,output_tokens\r\n\r\n'"})
  void emptyUserTrace(String content) {
    assertMessage(TraceFormat.CSV, content, ": the trace is empty");
  }

  // ---- Azure CSV ----

  @Test
  void azureTimestampThatIsNotOne() {
    String allowed = "; allowed: yyyy-MM-dd HH:mm:ss[.fraction of up to 9 digits], UTC, years 1678–2261";
    for (String bad : new String[] {"2023-11-16 18:15:4", "2023-02-29 18:15:46.1", "2023-11-16 24:00:00",
        "2023-11-16 18:15:46.", "2023-11-16 18:15:46.1234567890", "2023/11/16 18:15:46.68",
        "9999-01-01 00:00:00"}) {
      assertMessage(TraceFormat.AZURE, "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n"
          + bad + ",10,5\r\n", ":3: TIMESTAMP: \"" + bad + "\" is not a timestamp" + allowed);
    }
  }

  @Test
  void azureGoesBackInTime() {
    assertMessage(TraceFormat.AZURE, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:00,1,1\n"
            + "2023-11-16 18:00:13,1,1\n2023-11-16 18:00:12.5,1,1\n",
        ":4: TIMESTAMP: goes back in time (12.5 s after 13.0 s); allowed: non-decreasing arrivals");
  }

  @Test
  void azureWithoutATokenColumn() {
    assertMessage(TraceFormat.AZURE, "TIMESTAMP,ContextTokens\n2023-11-16 18:00:00,1\n",
        ":1: header: no column \"GeneratedTokens\"; allowed: the header TIMESTAMP,ContextTokens,GeneratedTokens");
  }

  @Test
  void azureBadTokens() {
    assertMessage(TraceFormat.AZURE, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:00,x1,1\n",
        ":2: ContextTokens: \"x1\" is not a whole number ≥ 1; allowed: integers ≥ 1");
  }

  @Test
  void azureHeaderOnly() {
    assertMessage(TraceFormat.AZURE, "TIMESTAMP,ContextTokens,GeneratedTokens\r\n", ": the trace is empty");
  }

  // ---- Mooncake JSONL ----

  @Test
  void mooncakeUnparseableLine() {
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1}\n"
            + "{\"timestamp\": 1, \"input_length\": 5,\n",
        ":2: json: cannot parse at column 36 (Unexpected end-of-input within/between Object entries);"
            + " allowed: one JSON object per line");
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 0, input_length: 5}\n",
        ":1: json: cannot parse at column 18 (Unexpected character ('i' (code 105)): was expecting"
            + " double-quote to start field name); allowed: one JSON object per line");
  }

  @Test
  void mooncakeLineThatIsNotAnObject() {
    assertMessage(TraceFormat.MOONCAKE, "[1, 2]\n", ":1: json: the line is not a JSON object; allowed: one JSON object per line");
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1} 7\n",
        ":1: json: text after the object; allowed: one JSON object per line");
  }

  @Test
  void mooncakeMissingField() {
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 0, \"input_length\": 5, \"hash_ids\": [0]}\n",
        ":1: output_length: missing; allowed: integers ≥ 0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"timestamp\": 1.5     | timestamp: 1.5 is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"timestamp\": \"3\"   | timestamp: \"3\" is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"timestamp\": null    | timestamp: null is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"timestamp\": -2      | timestamp: -2 is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"timestamp\": 9223372036855 | timestamp: 9223372036855 is too large; allowed: integers from 0 to 9223372036854",
      "\"hash_ids\": [1, -1]  | hash_ids: -1 is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"hash_ids\": [[1]]    | hash_ids: a list is not a whole number ≥ 0; allowed: integers ≥ 0",
      "\"hash_ids\": 4        | hash_ids: 4 is not a list; allowed: a list of integers ≥ 0",
      "\"input_length\": 99999999999999999999 | input_length: 99999999999999999999 is too large; allowed: integers from 1 to 2147483647"})
  void mooncakeBadValues(String field, String expected) {
    String line = "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1, " + field + "}\n";
    assertMessage(TraceFormat.MOONCAKE, line, ":1: " + expected);
  }

  @Test
  void mooncakeGoesBackInTime() {
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 13000, \"input_length\": 5, \"output_length\": 1}\n"
            + "{\"timestamp\": 12500, \"input_length\": 5, \"output_length\": 1}\n",
        ":2: timestamp: goes back in time (12.5 s after 13.0 s); allowed: non-decreasing arrivals");
  }

  @Test
  void mooncakeEmpty() {
    assertMessage(TraceFormat.MOONCAKE, "\n\n", ": the trace is empty");
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nowhere.jsonl");
    assertThatThrownBy(() -> TraceReaders.open(file, TraceFormat.MOONCAKE))
        .isInstanceOf(TraceException.class).hasMessage(file + ": no such file");
  }

  /** Reads the whole trace and expects {@code file + suffix} as the one-line message. */
  @Test
  void aLineLongerThanOneMebibyteIsAnErrorBeforeItIsAllRead() {
    assertMessage(TraceFormat.MOONCAKE, "{\"timestamp\": 0, \"input_length\": 1, \"output_length\": 1}\n"
        + " ".repeat((1 << 20) + 1) + "x\n",
        ":2: line: is longer than 1048576 characters; allowed: lines of at most 1048576 characters (1 MiB)");
  }

  @Test
  void linesEndWithLfCrLfOrCr() throws TraceException {
    Path file = write("arrival_s,input_tokens,output_tokens\r\n0,10,5\r1,10,5\n\n2,10,5");
    int n = 0;
    try (TraceReader trace = TraceReaders.open(file, TraceFormat.CSV)) {
      TraceRecord request = new TraceRecord();
      while (trace.next(request)) {
        n++;
      }
    }
    assertThat(n).isEqualTo(3);
  }

  @Test
  void aFolderIsNotATrace() {
    assertThatThrownBy(() -> readToTheEnd(dir, TraceFormat.CSV))
        .isInstanceOf(TraceException.class)
        .hasMessage(dir + ": is not a regular file (a folder); allowed: a trace file");
  }

  private void assertMessage(TraceFormat format, String content, String suffix) {
    Path file = write(content);
    assertThatThrownBy(() -> readToTheEnd(file, format))
        .isInstanceOf(TraceException.class)
        .hasMessage(file + suffix)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  private Path write(String content) {
    try {
      return Files.writeString(dir.resolve("trace.txt"), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void readToTheEnd(Path file, TraceFormat format) throws TraceException {
    try (TraceReader trace = TraceReaders.open(file, format)) {
      TraceRecord request = new TraceRecord();
      while (trace.next(request)) {
        assertThat(request.line()).isPositive();
      }
    }
  }
}
