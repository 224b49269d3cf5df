package dev.tokentherm.sim;

/** Told now and then how far a run has come (the CLI draws a progress line from it). */
public interface Progress {
  void update(long simulatedNs, long endNs, long events);

  Progress NONE = (simulatedNs, endNs, events) -> { };
}
