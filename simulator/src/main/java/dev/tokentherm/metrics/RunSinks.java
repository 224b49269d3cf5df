package dev.tokentherm.metrics;

/** Where a run streams its rows: turns (conversations.csv), requests (requests.csv), time series. */
public record RunSinks(TurnSink turns, RequestSink requests, SampleSink samples) {
  public static final RunSinks NONE = new RunSinks(TurnSink.NONE, RequestSink.NONE, SampleSink.NONE);

  public static RunSinks turnsOnly(TurnSink turns) {
    return new RunSinks(turns, RequestSink.NONE, SampleSink.NONE);
  }
}
