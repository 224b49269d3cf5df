package dev.tokentherm.sim;

import dev.tokentherm.scenario.Probe;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.ProbeScript;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The probes of one workload entry on one target, run one after another: each starts when the
 * previous one's conversation ends. Counts as live work until its last probe has started.
 */
final class ProbeSequence {
  private final Fleet fleet;
  /** The fleet's live probe conversations and their sequences (to start the next on the end of one). */
  private final Long2ObjectOpenHashMap<ProbeSequence> live;
  private final Probe spec;
  private final ConversationNumbers.OfEntry numbers;
  private final LiveWork work;
  private int nextIndex;

  ProbeSequence(Fleet fleet, Long2ObjectOpenHashMap<ProbeSequence> live, Probe spec,
      ConversationNumbers.OfEntry numbers, LiveWork work) {
    this.fleet = fleet;
    this.live = live;
    this.spec = spec;
    this.numbers = numbers;
    this.work = work;
    work.add(); // until its last probe has started
  }

  /** Starts the next probe at {@code atNs}, or ends the sequence after its last. */
  void startNext(long atNs) {
    if (nextIndex == spec.contexts().size()) {
      work.done();
      return;
    }
    long id = numbers.get(nextIndex);
    long context = spec.contexts().get(nextIndex++);
    work.add();
    live.put(id, this);
    fleet.startConversation(id, new ProbeScript(spec.promptTokens(), spec.outputTokens()), atNs, context);
  }
}
