package dev.tokentherm.report;

import dev.tokentherm.results.Summary;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of a comparison's metric table: a figure of summary.json, its name with its unit, and
 * the decimals it is shown with ({@link dev.tokentherm.results.Decimals#fixed}, as the run's own
 * report shows it).
 */
public record CompareMetric(String name, int decimals, ToDoubleFunction<Summary> value) {
  /** The rows of the table, in order. */
  public static final List<CompareMetric> ALL = List.of(
      new CompareMetric("TTFT p50, ms", 1, s -> s.latency().ttftMs().p50()),
      new CompareMetric("TTFT p99, ms", 1, s -> s.latency().ttftMs().p99()),
      new CompareMetric("TPOT p50, ms", 2, s -> s.latency().tpotMs().p50()),
      new CompareMetric("TPOT p99, ms", 2, s -> s.latency().tpotMs().p99()),
      new CompareMetric("TBT p99, ms", 2, s -> s.latency().tbtMs().p99()),
      new CompareMetric("E2E p50, ms", 1, s -> s.latency().e2eMs().p50()),
      new CompareMetric("E2E p99, ms", 1, s -> s.latency().e2eMs().p99()),
      new CompareMetric("queue p99, ms", 1, s -> s.latency().queueMs().p99()),
      new CompareMetric("output tokens per s", 1, s -> s.throughput().outputTokensPerS()),
      new CompareMetric("requests per s", 3, s -> s.throughput().requestsPerS()),
      new CompareMetric("goodput, requests per s", 3, s -> s.goodput().requestsPerS()),
      new CompareMetric("SLO attainment, %", 1, s -> 100 * s.slo().attainment()),
      new CompareMetric("requests arrived", 0, s -> s.requests().arrived()),
      new CompareMetric("preemptions", 0, s -> s.requests().preemptions()),
      new CompareMetric("J per output token", 3, s -> s.energy().jPerOutputToken()),
      new CompareMetric("GPU energy, J", 0, s -> s.energy().gpuJ()),
      new CompareMetric("GPU mean power, W", 1, s -> s.power().gpuMeanW()),
      new CompareMetric("GPU peak power, W", 1, s -> s.power().gpuPeakW()),
      new CompareMetric("GPU peak temperature, °C", 1, s -> s.thermal().gpuPeakC()));

  /** The metric of a run. */
  public double of(Summary s) {
    return value.applyAsDouble(s);
  }
}
