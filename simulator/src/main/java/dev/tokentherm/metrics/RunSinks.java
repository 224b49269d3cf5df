package dev.tokentherm.metrics;

/**
 * Where a run streams its rows: turns (conversations.csv), requests (requests.csv), time series,
 * and the timeline (timeline.json), which hears the others' seams ({@link TimelineSink#alongside}).
 */
public record RunSinks(TurnSink turns, RequestSink requests, SampleSink samples, TimelineSink timeline) {
  public static final RunSinks NONE = new RunSinks(TurnSink.NONE, RequestSink.NONE, SampleSink.NONE);

  /** No timeline. */
  public RunSinks(TurnSink turns, RequestSink requests, SampleSink samples) {
    this(turns, requests, samples, TimelineSink.NONE);
  }

  /** These sinks with the time series going to {@code newSamples} instead (the rest kept). */
  public RunSinks withSamples(SampleSink newSamples) {
    return new RunSinks(turns, requests, newSamples, timeline);
  }

  public static RunSinks turnsOnly(TurnSink turns) {
    return new RunSinks(turns, RequestSink.NONE, SampleSink.NONE);
  }
}
