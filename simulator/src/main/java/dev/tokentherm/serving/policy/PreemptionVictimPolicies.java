package dev.tokentherm.serving.policy;

import java.util.SortedSet;

/**
 * The preemption victim policies by name:
 * <ul>
 *   <li>{@code last-admitted}: the most recently admitted running request (vLLM's victim, the
 *       tail of its running queue), so the requests admitted first keep making progress.
 * </ul>
 */
public final class PreemptionVictimPolicies {
  private PreemptionVictimPolicies() {}

  public static final PreemptionVictimPolicy LAST_ADMITTED = new PreemptionVictimPolicy() {
    @Override
    public String name() {
      return "last-admitted";
    }

    @Override
    public <R> R victim(SortedSet<R> running) {
      return running.last();
    }
  };
}
