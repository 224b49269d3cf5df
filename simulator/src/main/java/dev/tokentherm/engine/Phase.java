package dev.tokentherm.engine;

/**
 * Conventional phases: the order of what happens at one instant. Any int in [{@link #MIN}, {@link
 * #MAX}] is a valid phase; these names are a convenience for the usual order (arrivals, then
 * completions, then state updates, then scheduling decisions, then samplers).
 */
public final class Phase {
  public static final int ARRIVAL = 0;
  public static final int COMPLETION = 1;
  public static final int STATE = 2;
  public static final int SCHEDULE = 3;
  public static final int SAMPLE = 4;

  public static final int MIN = 0;
  /** Phases take 6 bits of the packed event order (see {@link Engine}). */
  public static final int MAX = 63;

  private Phase() {}
}
