package dev.tokentherm.engine;

/**
 * Families of random streams: the second coordinate of {@link RandomStreams#stream(long, int,
 * long)}. Values are part of the results' identity: never renumber one, only add new ones.
 */
public final class StreamFamily {
  /** One stream per conversation (index = conversation number): its turns, lengths, think times. */
  public static final int CONVERSATION = 1;
  /** Arrival processes (index = arrival process number). */
  public static final int ARRIVAL = 2;
  /** Randomised routing decisions (index = router number). */
  public static final int ROUTING = 3;
  /** The engine's debug shuffle of order-free ties. */
  public static final int TIE_SHUFFLE = 4;
  /** Randomised admission decisions (index = admission controller number). */
  public static final int ADMISSION = 5;
  /** Noise and variability in hardware models (index = device number). */
  public static final int HARDWARE = 6;
  /**
   * A closed-loop user's conversations: index = (workload index << 40) | user, sub-index = the
   * user's k-th conversation (0, 1, …); its turns, lengths, think times.
   */
  public static final int USER_CONVERSATION = 7;
  /** A closed-loop user's pause after its k-th conversation: index and sub-index as USER_CONVERSATION. */
  public static final int USER_PAUSE = 8;
  /** A pre-aged conversation's script (index: workload entry and its number before time 0). */
  public static final int PRE_AGED_CONVERSATION = 9;
  /** The starts before time 0 of a pre-aged population (index: workload entry). */
  public static final int PRE_AGED_ARRIVAL = 10;

  private StreamFamily() {}
}
