package dev.tokentherm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.results.Manifest;
import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A results folder as a report reads it: summary.json and manifest.json (required), and what a
 * run wrote beside them when present (null when absent): assumptions.json, latencies.hlog,
 * report_series.csv, conversations.csv.
 */
public record Results(Path dir, Summary summary, JsonNode manifest, JsonNode assumptions,
    LatencyDistributions latencies, SeriesTable series, ConversationCosts costs) {
  public static final String ASSUMPTIONS = "assumptions.json";

  /**
   * Reads a results folder.
   *
   * @throws ReportException with a one-line reason: no such folder, not a tokentherm results
   *     folder, or a file that cannot be read
   */
  public static Results read(Path dir) throws ReportException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ReportException(dir + ": " + (Files.exists(dir) ? "is not a folder" : "no such folder")
          + "; allowed: a results folder a run wrote (results/<name>, or its --out)");
    }
    ObjectMapper mapper = new ObjectMapper();
    Path manifestFile = dir.resolve("manifest.json");
    JsonNode manifest;
    try {
      manifest = Files.isRegularFile(manifestFile) ? mapper.readTree(manifestFile.toFile()) : null;
    } catch (IOException e) {
      manifest = null;
    }
    if (manifest == null || !Manifest.TOOL.equals(manifest.path("tool").asText())) {
      throw new ReportException(dir + ": holds no tokentherm results (no manifest.json saying \"tool\": \""
          + Manifest.TOOL + "\"); allowed: a results folder a run wrote");
    }
    Summary summary;
    Path summaryFile = dir.resolve("summary.json");
    try {
      summary = SummaryJson.read(summaryFile);
    } catch (IOException e) {
      throw new ReportException(summaryFile + ": cannot be read as summary.json: " + e.getMessage());
    }
    try {
      JsonNode assumptions = optional(dir, ASSUMPTIONS) ? json(mapper, dir.resolve(ASSUMPTIONS)) : null;
      LatencyDistributions latencies = optional(dir, LatencyDistributions.FILE)
          ? LatencyDistributions.read(dir.resolve(LatencyDistributions.FILE)) : null;
      SeriesTable series = optional(dir, SeriesTable.FILE) ? SeriesTable.read(dir.resolve(SeriesTable.FILE)) : null;
      ConversationCosts costs = optional(dir, ConversationCosts.FILE)
          ? ConversationCosts.read(dir.resolve(ConversationCosts.FILE)) : null;
      return new Results(dir, summary, manifest, assumptions, latencies, series, costs);
    } catch (IOException e) {
      throw new ReportException(e.getMessage());
    }
  }

  private static JsonNode json(ObjectMapper mapper, Path file) throws IOException {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
  }

  private static boolean optional(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  /** The run's scenario name, for titles and labels. */
  public String name() {
    return summary.scenario();
  }
}
