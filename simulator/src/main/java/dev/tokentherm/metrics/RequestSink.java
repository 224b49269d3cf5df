package dev.tokentherm.metrics;

import dev.tokentherm.serving.Request;

/** Receives each request when its fate is known: completed, rejected, timed out, failed, or unfinished at the end. */
public interface RequestSink extends AutoCloseable {
  void request(Request r, String status) throws java.io.IOException;

  @Override
  void close() throws java.io.IOException;

  RequestSink NONE = new RequestSink() {
    @Override
    public void request(Request r, String status) {}

    @Override
    public void close() {}
  };
}
