package dev.tokentherm.metrics;

import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.power.GpuDevices;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.serving.Request;
import dev.tokentherm.serving.ServingListener;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Receives what timeline.json draws ({@link TimelineWriter}): the replicas and GPUs before the run,
 * then arrivals, iterations, each request's fate and the GPUs' samples as they happen. It hears the
 * run through the seams the other outputs use: {@link #alongside} puts it beside the serving
 * listener, the request rows and the sample rows, and {@link #NONE} leaves them as they are.
 */
public interface TimelineSink extends AutoCloseable {
  /** Before the run: the replicas (one process each), the GPUs, and the simulation clock. */
  void start(List<Replica> replicas, GpuDevices devices, LongSupplier clockNs);

  /** A request arrived at its replica (now). */
  void arrived(Request r) throws IOException;

  /** An iteration of {@code replica} over [startNs, startNs + durationNs) ended; {@code cost.batch} is its batch. */
  void iteration(Replica replica, long startNs, long durationNs, IterationCost cost) throws IOException;

  /** A request's fate is known (now): completed, rejected, timed_out, failed or unfinished. */
  void request(Request r, String status) throws IOException;

  /** GPU {@code gpu} at a sample (now): its energy-averaged power over the interval, W, and die temperature, °C (NaN: none). */
  void device(int gpu, double powerW, double tempC) throws IOException;

  @Override
  void close() throws IOException;

  /** The listener's events, and arrivals and iterations to this timeline too. */
  default ServingListener alongside(ServingListener listener) {
    return new TimelineListener(listener, this);
  }

  /** The request rows, and each request's slices to this timeline too. */
  default RequestSink alongside(RequestSink rows) {
    TimelineSink timeline = this;
    return new RequestSink() {
      @Override
      public void request(Request r, String status) throws IOException {
        rows.request(r, status);
        timeline.request(r, status);
      }

      @Override
      public void close() throws IOException {
        rows.close();
      }
    };
  }

  /** The sample rows, and each GPU's power and temperature to this timeline too. */
  default SampleSink alongside(SampleSink rows) {
    return new TimelineSamples(rows, this);
  }

  /** No timeline: every seam is left as it is. */
  TimelineSink NONE = new TimelineSink() {
    @Override
    public void start(List<Replica> replicas, GpuDevices devices, LongSupplier clockNs) {}

    @Override
    public void arrived(Request r) {}

    @Override
    public void iteration(Replica replica, long startNs, long durationNs, IterationCost cost) {}

    @Override
    public void request(Request r, String status) {}

    @Override
    public void device(int gpu, double powerW, double tempC) {}

    @Override
    public void close() {}

    @Override
    public ServingListener alongside(ServingListener listener) {
      return listener;
    }

    @Override
    public RequestSink alongside(RequestSink rows) {
      return rows;
    }

    @Override
    public SampleSink alongside(SampleSink rows) {
      return rows;
    }
  };
}
