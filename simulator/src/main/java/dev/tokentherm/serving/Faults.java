package dev.tokentherm.serving;

import java.util.List;

/**
 * Test-only faults that break one conservation law on purpose, so that the tests can see {@code
 * run --check} catch each of them (a check that cannot fail proves nothing), and one that stages an
 * event a test needs. Chosen with the hidden option {@code run --fault NAME}; never set in a real run.
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
 * @param loseFailedCount the first request a shutdown fails is not counted as failed (request law)
 * @param loseLinkBytes the run's network leaves one interval of a flow's bytes off its first link's count (link
 *     bytes law)
 * @param shutdownReplicaAtNs replica 0 shuts down at this instant, as if its GPUs had reached
 *     shutdown_c ({@code shutdown-replica@SECONDS}; -1: never), to test a shutdown without heating
 * @param leakTier a KV tier below HBM forgets to count the bytes of the copies it frees (tier law)
 */
public record Faults(boolean leakKv, boolean hideUnfinished, boolean extraToken, boolean extraPrefill,
    boolean refuseEviction, boolean dropIterationEnergy, boolean skipMeterChange, boolean loseFailedCount,
    boolean loseLinkBytes, long shutdownReplicaAtNs, boolean leakTier) {
  public static final Faults NONE = new Faults(false, false, false, false, false, false, false);

  /** The names {@code --fault} accepts ({@code shutdown-replica@SECONDS} with its time, s). */
  public static final List<String> NAMES = List.of("leak-kv", "hide-unfinished", "extra-token", "extra-prefill",
      "refuse-eviction", "drop-iteration-energy", "skip-meter-change", "lose-failed-count",
      "lose-link-bytes", "leak-tier", "shutdown-replica@SECONDS");

  private static final String SHUTDOWN = "shutdown-replica@";

  /** The law-breaking faults alone (no shutdown). */
  public Faults(boolean leakKv, boolean hideUnfinished, boolean extraToken, boolean extraPrefill,
      boolean refuseEviction, boolean dropIterationEnergy, boolean skipMeterChange) {
    this(leakKv, hideUnfinished, extraToken, extraPrefill, refuseEviction, dropIterationEnergy, skipMeterChange,
        false, false, -1, false);
  }

  /** Every fault but the link-bytes loss and the tier leak (tests written before them). */
  public Faults(boolean leakKv, boolean hideUnfinished, boolean extraToken, boolean extraPrefill,
      boolean refuseEviction, boolean dropIterationEnergy, boolean skipMeterChange, boolean loseFailedCount,
      long shutdownReplicaAtNs) {
    this(leakKv, hideUnfinished, extraToken, extraPrefill, refuseEviction, dropIterationEnergy, skipMeterChange,
        loseFailedCount, false, shutdownReplicaAtNs, false);
  }

  /** The faults of these names; an unknown name is an IllegalArgumentException listing the allowed ones. */
  public static Faults of(List<String> names) {
    boolean[] on = new boolean[NAMES.size()];
    long shutdownNs = -1;
    for (String n : names) {
      if (n.startsWith(SHUTDOWN)) {
        shutdownNs = shutdownNs(n.substring(SHUTDOWN.length()));
        continue;
      }
      int i = NAMES.indexOf(n);
      if (i < 0 || n.equals(NAMES.get(NAMES.size() - 1))) {
        throw new IllegalArgumentException("unknown fault '" + n + "'; allowed: " + String.join(", ", NAMES));
      }
      on[i] = true;
    }
    return new Faults(on[0], on[1], on[2], on[3], on[4], on[5], on[6], on[7], on[8], shutdownNs, on[9]);
  }

  private static long shutdownNs(String seconds) {
    double s;
    try {
      s = Double.parseDouble(seconds);
    } catch (NumberFormatException e) {
      s = Double.NaN;
    }
    if (!(s >= 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("'" + SHUTDOWN + seconds + "': the time must be seconds ≥ 0, e.g. "
          + SHUTDOWN + "1.5");
    }
    return dev.tokentherm.engine.Durations.toNanos(s);
  }
}
