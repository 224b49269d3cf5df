package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;

/** Receives each finished turn, in the order turns close (streams, never held in memory). */
public interface TurnSink extends AutoCloseable {
  void turn(Request r) throws java.io.IOException;

  @Override
  void close() throws java.io.IOException;

  TurnSink NONE = new TurnSink() {
    @Override
    public void turn(Request r) {}

    @Override
    public void close() {}
  };
}
