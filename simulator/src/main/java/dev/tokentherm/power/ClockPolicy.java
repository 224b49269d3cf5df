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

  /**
   * What an adaptive policy is told once, before the run: the GPU's clock grid (max − j · step
   * down to min, and min), the deployment's TPOT target (the scenario's {@code slo.tpot_ms} ×
   * {@code power.slo_margin}, seconds) and its decision interval ({@code power.interval_s}).
   */
  record Control(double maxMhz, double minMhz, double stepMhz, double targetTpotS, double intervalS) {}

  /**
   * Whether the request changes over the run from what the replica observes ({@link #requestAt});
   * such a policy holds state, so the registry's factory makes a fresh one for each replica.
   */
  default boolean adaptive() {
    return false;
  }

  /** An adaptive policy's settings, once before the run. */
  default void configure(Control control) {}

  /**
   * A decode step ended at {@code endNs}: its token gap, {@code gapS} seconds, ran at {@code mhz}
   * (the governed clock of the step's iteration). Primitives only: called every decode step.
   */
  default void decodeStepEnded(long endNs, double gapS, double mhz) {}

  /** The request at an iteration start at {@code nowNs}, the current request {@code currentMhz}. */
  default double requestAt(long nowNs, double currentMhz) {
    return currentMhz;
  }
}
