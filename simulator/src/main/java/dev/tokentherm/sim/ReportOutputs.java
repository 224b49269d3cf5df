package dev.tokentherm.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentherm.metrics.LatencyLog;
import dev.tokentherm.metrics.ReportSeries;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.report.ReportException;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.report.Results;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a run writes for reports, beside summary.json and manifest.json: latencies.hlog always
 * ({@link LatencyLog}); with {@code outputs.report} (the default) report_series.csv
 * ({@link ReportSeries}, collected while the run samples), assumptions.json (the deployments, the
 * SLO and the resolved profiles, every hardware figure with its source) and then report.html and
 * report.md ({@link ReportWriter}, from the files just written). Use: {@link #of} before the run,
 * {@link #sinks} around the run's sinks, {@link #write} after summary.json and manifest.json.
 */
public final class ReportOutputs {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);
  private final Scenario scenario;
  /** The time series, once {@link #sinks} made them; null without a report. */
  private ReportSeries series;

  private ReportOutputs(Scenario scenario) {
    this.scenario = scenario;
  }

  public static ReportOutputs of(Scenario scenario) {
    return new ReportOutputs(scenario);
  }

  /** The run's sinks, the time series collected on the way when the scenario writes a report. */
  public RunSinks sinks(RunSinks sinks) {
    if (!scenario.outputs().report()) {
      return sinks;
    }
    series = new ReportSeries(sinks.samples());
    return sinks.withSamples(series);
  }

  /**
   * Writes the report files into {@code dir}, the results folder being staged, which already holds
   * summary.json and manifest.json.
   */
  public void write(Path dir, ResolvedProfiles profiles, RunResult result) throws IOException {
    List<String> names = new ArrayList<>();
    for (Deployment d : scenario.deployments()) {
      names.add(d.name());
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(LatencyLog.FILE))) {
      LatencyLog.write(out, result.metrics(), names, result.windowStartNs() * 1e-9,
          result.windowEndNs() * 1e-9);
    }
    if (series == null) {
      return;
    }
    try (Writer out = Files.newBufferedWriter(dir.resolve(ReportSeries.FILE), StandardCharsets.UTF_8)) {
      series.write(out);
    }
    Files.writeString(dir.resolve(Results.ASSUMPTIONS), assumptions(profiles), StandardCharsets.UTF_8);
    try {
      ReportWriter.write(dir);
    } catch (ReportException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** assumptions.json: the scenario's deployments, cluster and SLO, and the profiles it resolved. */
  private String assumptions(ResolvedProfiles profiles) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("scenario", scenario.name());
    root.put("seed", scenario.seed());
    root.set("deployments", JSON.valueToTree(scenario.deployments()));
    root.set("cluster", JSON.valueToTree(scenario.cluster()));
    root.set("slo", JSON.valueToTree(scenario.slo()));
    root.set("profiles", JSON.valueToTree(profiles));
    return JSON.writeValueAsString(root) + "\n";
  }
}
