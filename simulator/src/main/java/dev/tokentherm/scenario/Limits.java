package dev.tokentherm.scenario;

/**
 * The sizes a scenario may ask for, and why (the README's "Bad input" section lists them). Past
 * them a run would overflow the clock, hang, or need memory that is not bounded by its live state,
 * so they are refused at load time with the limit in the message.
 */
public final class Limits {
  /**
   * The longest time any one value may say, s (about 31.7 years): the clock counts nanoseconds in a
   * long, which overflows at 9.2·10^9 s, and the horizon, the drain, a think time and a timeout
   * add up.
   */
  public static final double MAX_SECONDS = 1e9;

  /** Most conversations started per second by one workload entry (all of them are held until they end). */
  public static final double MAX_RATE_PER_S = 10_000;

  /** Most closed-loop users of one workload entry (each is a live conversation). */
  public static final int MAX_USERS = 1_000_000;

  /** Shortest sample interval, s: the sampler is an event per interval. */
  public static final double MIN_SAMPLE_INTERVAL_S = 0.001;

  /** Most samples a run may take: (horizon_s + max_drain_s) / sample_interval_s. */
  public static final double MAX_SAMPLES = 1e8;

  /** Most replicas of a whole scenario: each has its own scheduler, KV pool and meters. */
  public static final int MAX_REPLICAS = 10_000;

  /** Most GPUs in a cluster. */
  public static final long MAX_GPUS = 100_000;

  /** Most KV blocks over every replica of a run: each costs about 50 bytes of bookkeeping. */
  public static final long MAX_KV_BLOCKS = 20_000_000;

  /** Longest scenario name, characters. */
  public static final int MAX_NAME_LENGTH = 100;

  /** Largest tensor-, pipeline- or expert-parallel degree and number of micro-batches. */
  public static final int MAX_PARALLEL_DEGREE = 1024;

  private Limits() {}

  /** Why {@code name} is not a usable results-folder name, or null when it is. */
  public static String nameProblem(String name) {
    if (name.length() > MAX_NAME_LENGTH) {
      return "is " + name.length() + " characters long; allowed: at most " + MAX_NAME_LENGTH;
    }
    if (!name.matches("[A-Za-z0-9_-]([A-Za-z0-9._-]*[A-Za-z0-9_-])?") || name.contains("..")) {
      return "'" + name + "' is not a name; allowed: letters, digits, '-', '_', and '.' inside"
          + " (not first or last, never '..'), at most " + MAX_NAME_LENGTH + " characters";
    }
    return null;
  }
}
