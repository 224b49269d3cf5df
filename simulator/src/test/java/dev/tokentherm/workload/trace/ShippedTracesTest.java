package dev.tokentherm.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The four shipped traces, read by the readers, against (a) a plain independent reading of the
 * same file in this test (string splitting and java.time for Azure, a Jackson tree per line for
 * Mooncake) and (b) literal figures, computed once outside Java with Python and noted here.
 */
class ShippedTracesTest {
  private static final Path TRACES = Path.of("data/traces");
  private static final DateTimeFormatter AZURE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

  /** What a whole trace adds up to; the same shape for the reader and the independent reading. */
  record Totals(long requests, long inputTokens, long outputTokens, long hashes, long firstArrivalNs,
      long lastArrivalNs, List<Long> arrivalsNs) {
    Totals withoutArrivals() {
      return new Totals(requests, inputTokens, outputTokens, hashes, firstArrivalNs, lastArrivalNs, null);
    }
  }

  @Test
  void azureCode() throws Exception {
    Path file = TRACES.resolve("AzureLLMInferenceTrace_code.csv");
    Totals read = readAll(file, TraceFormat.AZURE);
    assertThat(read).isEqualTo(azureDirectly(file));
    // README: 8,819 rows; 18:17:03.9799600 → 19:14:19.9280160 is 3,435.948056 s
    assertThat(read.withoutArrivals()).isEqualTo(new Totals(8_819, 18_059_974, 245_896, 0, 0, 3_435_948_056_000L, null));
    // 2nd row 18:17:04.0319600 − 18:17:03.9799600 = 52 ms
    assertThat(read.arrivalsNs().get(1)).isEqualTo(52_000_000L);
  }

  @Test
  void azureConversation() throws Exception {
    Path file = TRACES.resolve("AzureLLMInferenceTrace_conv.csv");
    Totals read = readAll(file, TraceFormat.AZURE);
    assertThat(read).isEqualTo(azureDirectly(file));
    // README: 19,366 rows; 18:15:46.6805900 → 19:14:08.4025270 is 3,501.721937 s
    assertThat(read.withoutArrivals()).isEqualTo(new Totals(19_366, 22_361_870, 4_088_665, 0, 0, 3_501_721_937_000L, null));
    // 2nd row 18:15:50.9951690 − 18:15:46.6805900 = 4.3145790 s
    assertThat(read.arrivalsNs().get(1)).isEqualTo(4_314_579_000L);
  }

  @Test
  void mooncakeConversation() throws Exception {
    Path file = TRACES.resolve("mooncake_conversation_trace.jsonl");
    Totals read = readAll(file, TraceFormat.MOONCAKE);
    assertThat(read).isEqualTo(mooncakeDirectly(file));
    // README: 12,031 rows, mean input 12,035, mean output 343; last timestamp 3,536,999 ms
    assertThat(read.withoutArrivals()).isEqualTo(new Totals(12_031, 144_793_823, 4_122_048, 288_500, 0, 3_536_999_000_000L, null));
  }

  @Test
  void mooncakeSynthetic() throws Exception {
    Path file = TRACES.resolve("mooncake_synthetic_trace.jsonl");
    Totals read = readAll(file, TraceFormat.MOONCAKE);
    assertThat(read).isEqualTo(mooncakeDirectly(file));
    // README: 3,993 rows, mean input 15,325, mean output 149; last timestamp 1,022,025 ms
    assertThat(read.withoutArrivals()).isEqualTo(new Totals(3_993, 61_194_628, 595_432, 121_877, 0, 1_022_025_000_000L, null));
  }

  @Test
  void mooncakeHashesArePerRequestAndOnePer512Tokens() throws Exception {
    try (TraceReader trace = TraceReaders.open(TRACES.resolve("mooncake_conversation_trace.jsonl"), TraceFormat.MOONCAKE)) {
      TraceRecord request = new TraceRecord();
      assertThat(trace.next(request)).isTrue();
      // {"timestamp": 0, "input_length": 6758, "output_length": 500, "hash_ids": [0, 1, …, 13]}
      assertThat(request.inputTokens()).isEqualTo(6758);
      assertThat(request.outputTokens()).isEqualTo(500);
      assertThat(request.hashIdsCopy()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
      assertThat(request.sessionId()).isEqualTo(TraceRecord.NO_SESSION);
      assertThat(request.line()).isEqualTo(1);
      int rows = 1;
      while (trace.next(request)) {
        rows++;
        int blocks = (request.inputTokens() + TraceRecord.TOKENS_PER_HASH - 1) / TraceRecord.TOKENS_PER_HASH;
        assertThat(request.hashCount()).as("row %d", rows).isEqualTo(blocks);
      }
      assertThat(trace.next(request)).as("stays at the end").isFalse();
    }
  }

  private static Totals readAll(Path file, TraceFormat format) throws TraceException {
    long requests = 0;
    long input = 0;
    long output = 0;
    long hashes = 0;
    List<Long> arrivals = new ArrayList<>();
    try (TraceReader trace = TraceReaders.open(file, format)) {
      TraceRecord request = new TraceRecord();
      while (trace.next(request)) {
        requests++;
        input += request.inputTokens();
        output += request.outputTokens();
        hashes += request.hashCount();
        arrivals.add(request.arrivalNs());
        assertThat(request.line()).isEqualTo(format == TraceFormat.AZURE ? requests + 1 : requests);
      }
    }
    return new Totals(requests, input, output, hashes, arrivals.get(0), arrivals.get(arrivals.size() - 1), arrivals);
  }

  private static Totals azureDirectly(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("TIMESTAMP,ContextTokens,GeneratedTokens");
    LocalDateTime first = LocalDateTime.parse(lines.get(1).split(",")[0], AZURE_TIME);
    long input = 0;
    long output = 0;
    List<Long> arrivals = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split(",");
      arrivals.add(Duration.between(first, LocalDateTime.parse(values[0], AZURE_TIME)).toNanos());
      input += Long.parseLong(values[1]);
      output += Long.parseLong(values[2]);
    }
    return new Totals(arrivals.size(), input, output, 0, arrivals.get(0), arrivals.get(arrivals.size() - 1), arrivals);
  }

  private static Totals mooncakeDirectly(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    long input = 0;
    long output = 0;
    long hashes = 0;
    List<Long> arrivals = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode row = mapper.readTree(line);
      arrivals.add(row.get("timestamp").asLong() * 1_000_000L);
      input += row.get("input_length").asLong();
      output += row.get("output_length").asLong();
      hashes += row.get("hash_ids").size();
    }
    return new Totals(arrivals.size(), input, output, hashes, arrivals.get(0), arrivals.get(arrivals.size() - 1), arrivals);
  }
}
