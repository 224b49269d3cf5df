package dev.tokentherm.kv.prefix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Mooncake JSONL trace read for tests: requests in file (= arrival) order. */
record MooncakeTrace(List<Request> requests) {
  /** Mooncake's hash ids name 512-token blocks. */
  static final int HASH_BLOCK_TOKENS = 512;

  record Request(long timestampMs, long inputTokens, long[] hashIds) {}

  static MooncakeTrace read(String name) {
    Path file = Path.of("data", "traces", name);
    ObjectMapper json = new ObjectMapper();
    List<Request> requests = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long lastTs = Long.MIN_VALUE;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row = json.readTree(line);
        JsonNode ids = row.get("hash_ids");
        long[] hashIds = new long[ids.size()];
        for (int i = 0; i < hashIds.length; i++) {
          hashIds[i] = ids.get(i).asLong();
        }
        long ts = row.get("timestamp").asLong();
        if (ts < lastTs) {
          throw new IllegalStateException(file + ": not in arrival order at row " + requests.size());
        }
        lastTs = ts;
        requests.add(new Request(ts, row.get("input_length").asLong(), hashIds));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MooncakeTrace(List.copyOf(requests));
  }

  long inputTokens() {
    long sum = 0;
    for (Request r : requests) {
      sum += r.inputTokens();
    }
    return sum;
  }

  int maxBlocks(int blockTokens) {
    int max = 0;
    for (Request r : requests) {
      max = Math.max(max, r.hashIds().length * (HASH_BLOCK_TOKENS / blockTokens));
    }
    return max;
  }
}
