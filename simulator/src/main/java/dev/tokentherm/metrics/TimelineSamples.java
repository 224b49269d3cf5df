package dev.tokentherm.metrics;

import java.io.IOException;

/** The sample rows unchanged, each GPU's power and temperature also to a timeline ({@link TimelineSink#alongside}). */
final class TimelineSamples extends ForwardingSampleSink {
  private final TimelineSink timeline;

  TimelineSamples(SampleSink rows, TimelineSink timeline) {
    super(rows);
    this.timeline = timeline;
  }

  @Override
  public void device(DeviceSample d) throws IOException {
    super.device(d);
    timeline.device(d.gpu(), d.powerW(), d.tempC());
  }
}
