package dev.tokentherm.serving;

import java.util.List;

/**
 * Test-only faults that break one conservation law on purpose, so that the tests can see {@code
 * run --check} catch each of them (a check that cannot fail proves nothing). Chosen with the hidden
 * option {@code run --fault NAME}; never set in a real run.
 *
 * @param leakKv a conversation's dropped KV is forgotten instead of freed (KV law)
 * @param hideUnfinished one unfinished request is left out of the end-of-run count (request law)
 * @param extraToken one emitted token too many is counted (token law)
 * @param extraPrefill one prefill token too many is planned at an admission (prefill law)
 * @param refuseEviction the eviction policy refuses every eviction (a stall, which must end the run)
 * @param dropIterationEnergy each replica's first iteration's meter delta never reaches the energy books (energy law,
 *     by deployment)
 * @param skipMeterChange the first GPU of the first replica's meter misses its first power change,
 *     which the power change log still integrates (energy law, per GPU)
 */
public record Faults(boolean leakKv, boolean hideUnfinished, boolean extraToken, boolean extraPrefill,
    boolean refuseEviction, boolean dropIterationEnergy, boolean skipMeterChange) {
  public static final Faults NONE = new Faults(false, false, false, false, false, false, false);

  /** The names {@code --fault} accepts. */
  public static final List<String> NAMES = List.of("leak-kv", "hide-unfinished", "extra-token", "extra-prefill",
      "refuse-eviction", "drop-iteration-energy", "skip-meter-change");

  /** The faults of these names; an unknown name is an IllegalArgumentException listing the allowed ones. */
  public static Faults of(List<String> names) {
    boolean[] on = new boolean[NAMES.size()];
    for (String n : names) {
      int i = NAMES.indexOf(n);
      if (i < 0) {
        throw new IllegalArgumentException("unknown fault '" + n + "'; allowed: " + String.join(", ", NAMES));
      }
      on[i] = true;
    }
    return new Faults(on[0], on[1], on[2], on[3], on[4], on[5], on[6]);
  }
}
