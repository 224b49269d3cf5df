package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

@Doc("What a run writes besides manifest.json and summary.json")
public record Outputs(
    @Default("1") @Range(min = Limits.MIN_SAMPLE_INTERVAL_S, max = Limits.MAX_SECONDS) @Doc("seconds between samples of time series (at least 1 ms)") double sampleIntervalS,
    @Default("true") @Doc("write conversations.csv (one row per turn)") boolean conversationsCsv,
    @Default("false") @Doc("write requests.csv (one row per request: status, queueing delay, latencies, joules)") boolean requestsCsv,
    @Default("false") @Doc("write timeseries.csv (per sample and deployment: running and waiting requests, KV occupancy)") boolean timeseriesCsv,
    @Default("false") @Doc("write devices.csv (per sample and GPU of a deployment: energy-averaged power, HBM held)") boolean devicesCsv,
    @Default("false") @Doc("write links.csv (per sample and link of the network: link class, bytes moved over the interval, utilisation)") boolean linksCsv,
    @Default("false") @Doc("write tiers.csv (per sample and KV tier: capacity and bytes held, hits, misses, bytes in and out so far;"
        + " cluster.kv_tiers)") boolean tiersCsv,
    @Default("false") @Doc("write timeline.json (Chrome trace-event format, opens in Perfetto: iterations, requests,"
        + " counters) over timeline_window_s") boolean timeline,
    @Default("[0, 60]") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("[start_s, end_s]: the simulated seconds"
        + " timeline.json covers (events wholly inside; request slices cut at its edges)") List<Double> timelineWindowS,
    @Default("true") @Doc("write report.html and report.md at the end of the run, with report_series.csv and"
        + " assumptions.json, the data they draw (./tokentherm report DIR rebuilds them)") boolean report)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    if (timelineWindowS.size() != 2) {
      v.error("timeline_window_s", "holds " + timelineWindowS.size()
          + (timelineWindowS.size() == 1 ? " number" : " numbers") + "; allowed: two, [start_s, end_s]");
    } else if (timelineWindowS.get(1) <= timelineWindowS.get(0)) {
      v.error("timeline_window_s", "ends at " + timelineWindowS.get(1) + ", not after its start "
          + timelineWindowS.get(0) + "; the window must have a length");
    }
  }
}
