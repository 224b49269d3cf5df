package dev.tokentherm.serving;

import dev.tokentherm.serving.policy.ReplicaView;

/** What a batch policy reads of a replica: its decodes, its prompts in admission order, its limits. */
final class PolicyView implements ReplicaView {
  private final DecodeSet decodes;
  private final PrefillSet prefills;
  private final int maxBatchedTokens;
  private final int maxSeqs;

  PolicyView(DecodeSet decodes, PrefillSet prefills, int maxBatchedTokens, int maxSeqs) {
    this.decodes = decodes;
    this.prefills = prefills;
    this.maxBatchedTokens = maxBatchedTokens;
    this.maxSeqs = maxSeqs;
  }

  @Override
  public int decodes() {
    return decodes.count();
  }

  @Override
  public int prefilling() {
    return prefills.size();
  }

  @Override
  public long remainingPrefill(int i) {
    return prefills.get(i).remainingPrefill();
  }

  @Override
  public boolean prefillStarted(int i) {
    return prefills.get(i).prefilledTokens > 0;
  }

  @Override
  public int maxBatchedTokens() {
    return maxBatchedTokens;
  }

  @Override
  public int maxSeqs() {
    return maxSeqs;
  }
}
