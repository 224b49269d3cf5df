package dev.tokentherm.workload;

/** One probe request: a prompt on top of a history that is already cached, then the conversation ends. */
public final class ProbeScript implements ConversationScript {
  private final int promptTokens;
  private final int outputTokens;

  public ProbeScript(int promptTokens, int outputTokens) {
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
  }

  @Override
  public void nextTurn(TurnDraw out) {
    out.userTokens = promptTokens;
    out.modelTokens = outputTokens;
    out.thinkNs = 0;
    out.nextArrivalNs = -1;
    out.last = true;
  }
}
