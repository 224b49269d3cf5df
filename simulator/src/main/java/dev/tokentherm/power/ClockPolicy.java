package dev.tokentherm.power;

/**
 * A clock policy (deployments[].power.clock): the SM clock a replica asks for at each iteration
 * start, before any limit; the {@link ClockGovernor} then lowers it to fit the power cap.
 */
public interface ClockPolicy {
  /** The policy's name, as the registry and scenarios spell it. */
  String name();

  /**
   * The requested SM clock, MHz.
   *
   * @param maxMhz the GPU's boost clock
   * @param lockedMhz the scenario's {@code locked_mhz}, or NaN when not given
   */
  double requestedMhz(double maxMhz, double lockedMhz);

  /** Whether the request is an application clock setting (NVML's reason {@code locked}). */
  boolean locked();
}
