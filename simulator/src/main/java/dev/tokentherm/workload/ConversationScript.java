package dev.tokentherm.workload;

/** The turns of one conversation, drawn in order from the conversation's own random stream. */
public interface ConversationScript {
  /** Draws the next turn into {@code out}; called once per turn, in turn order. */
  void nextTurn(TurnDraw out);

  /** The name of the trace session this conversation replays, or null (no trace, or no session). */
  default String traceSession() {
    return null;
  }

  /**
   * Turns still to come after those drawn, as the workload model knows them; -1 when it does not
   * (a trace replays sessions whose length it does not reveal in advance).
   */
  default int remainingTurns() {
    return -1;
  }
}
