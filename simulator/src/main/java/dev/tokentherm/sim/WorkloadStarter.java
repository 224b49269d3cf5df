package dev.tokentherm.sim;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.scenario.Podcast;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.Workload;
import dev.tokentherm.serving.Conversation;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.PodcastScript;
import dev.tokentherm.workload.SyntheticConversations;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the scenario's workload on the fleets: each workload entry, a copy on each of its targets
 * — open-loop conversations (with the pre-aged ones in progress at time 0), closed-loop users,
 * probe sequences, a podcast or a trace replay — and numbers the conversations. Told when a
 * conversation ends, it starts what follows (the next probe, the user's next conversation) and
 * counts the work done.
 */
final class WorkloadStarter {
  private final Scenario scenario;
  private final Engine engine;
  private final List<Fleet> fleets;
  private final Path baseDir;
  private final LiveWork work;
  private final ConversationNumbers numbers = new ConversationNumbers();
  /** Per fleet, the probe sequence each live probe conversation belongs to. */
  private final List<Long2ObjectOpenHashMap<ProbeSequence>> probeSequences = new ArrayList<>();
  /** Per fleet, the closed-loop user each live conversation belongs to. */
  private final List<Long2ObjectOpenHashMap<ClosedLoopUsers.User>> closedLoop = new ArrayList<>();

  WorkloadStarter(Scenario scenario, Engine engine, List<Fleet> fleets, Path baseDir, LiveWork work) {
    this.scenario = scenario;
    this.engine = engine;
    this.fleets = fleets;
    this.baseDir = baseDir;
    this.work = work;
    for (int i = 0; i < fleets.size(); i++) {
      probeSequences.add(new Long2ObjectOpenHashMap<>());
      closedLoop.add(new Long2ObjectOpenHashMap<>());
    }
  }

  /** Schedules every workload entry's first starts, in the scenario's order. */
  void start(long horizonNs) throws SetupException {
    for (int wi = 0; wi < scenario.workload().size(); wi++) {
      Workload w = scenario.workload().get(wi);
      int copies = w.target().size();
      Fleet[] targets = new Fleet[copies];
      int[] targetIndex = new int[copies];
      for (int t = 0; t < copies; t++) {
        targetIndex[t] = fleetIndex(w.target().get(t));
        targets[t] = fleets.get(targetIndex[t]);
      }
      ConversationNumbers.OfEntry entryNumbers = numbers.ofEntry(copies);
      if (w.trace() != null) {
        for (Fleet fleet : targets) {
          TraceSetup.start(engine, fleet, w.trace(), baseDir, wi, entryNumbers, work);
        }
      } else if (w.probe() != null) {
        for (int fi : targetIndex) {
          new ProbeSequence(fleets.get(fi), probeSequences.get(fi), w.probe(), entryNumbers, work)
              .startNext(Durations.toNanos(w.probe().startS()));
        }
      } else if (w.podcast() != null) {
        Podcast p = w.podcast();
        long id = entryNumbers.get(0);
        for (Fleet fleet : targets) {
          PodcastScript script = new PodcastScript(p);
          work.add();
          fleet.startConversation(id, script, script.firstArrivalNs());
        }
      } else {
        if (new SyntheticConversations(w.conversations(), scenario.seed(), wi).closedLoop()) {
          Long2LongOpenHashMap byUser = copies > 1 ? new Long2LongOpenHashMap() : null;
          for (int fi : targetIndex) {
            // each copy its own users (their conversations end when its policy serves them), drawing
            // the same streams: a user's k-th conversation is the same in every copy
            SyntheticConversations source = new SyntheticConversations(w.conversations(), scenario.seed(), wi);
            new ClosedLoopUsers(engine, fleets.get(fi), closedLoop.get(fi), source, horizonNs, wi, byUser, numbers,
                work).startAll();
          }
          continue;
        }
        SyntheticConversations source = new SyntheticConversations(w.conversations(), scenario.seed(), wi);
        if (w.conversations().preAged()) {
          startPreAged(source, targets);
        }
        long first = source.nextGapNs(0);
        if (first <= horizonNs) {
          work.add(); // the source counts as live work until it stops
          engine.schedule(first, Phase.ARRIVAL, wi, new OpenLoopStarter(targets, source, horizonNs, wi), 0);
        }
      }
    }
  }

  /** A conversation on fleet {@code fleet} ended: start what follows it, and count it done. */
  void conversationEnded(int fleet, Conversation c) {
    ProbeSequence next = probeSequences.get(fleet).remove(c.id());
    if (next != null) {
      next.startNext(engine.now() + 1); // not into an earlier phase of this instant
    }
    ClosedLoopUsers.User user = closedLoop.get(fleet).remove(c.id());
    if (user != null) {
      user.ended(engine.now());
    }
    work.done();
  }

  /** The conversations in progress at time 0 (pre_aged), on every target, numbered before the others. */
  private void startPreAged(SyntheticConversations source, Fleet[] targets) {
    for (SyntheticConversations.InProgress p : source.preAged()) {
      long id = numbers.next();
      for (int t = 0; t < targets.length; t++) {
        // each copy its own script from the same stream (the draws are the same)
        SyntheticConversations.InProgress copy = t == 0 ? p : source.preAgedCopy(p);
        work.add();
        targets[t].startInProgress(id, copy.script(), copy.turnsDone(), copy.historyTokens(), copy.nextArrivalNs(), 0);
      }
    }
  }

  private int fleetIndex(String deployment) {
    for (int i = 0; i < scenario.deployments().size(); i++) {
      if (scenario.deployments().get(i).name().equals(deployment)) {
        return i;
      }
    }
    throw new IllegalStateException("validated target " + deployment);
  }

  /** Starts conversations of one workload entry until the horizon or its count, a copy on each target. */
  private final class OpenLoopStarter implements EventHandler {
    private final Fleet[] targets;
    private final SyntheticConversations source;
    private final long horizonNs;
    private final int key;
    private long started;

    OpenLoopStarter(Fleet[] targets, SyntheticConversations source, long horizonNs, int key) {
      this.targets = targets;
      this.source = source;
      this.horizonNs = horizonNs;
      this.key = key;
    }

    @Override
    public void onEvent(Engine e, long arg) {
      long now = e.now();
      long id = numbers.next();
      for (Fleet fleet : targets) {
        work.add();
        fleet.startConversation(id, source.script(started), now);
      }
      started++;
      long gap = source.nextGapNs(now);
      Long max = source.maxConversations();
      if (gap <= horizonNs - now && (max == null || started < max)) {
        e.schedule(now + gap, Phase.ARRIVAL, key, this, 0);
      } else {
        work.done(); // the source itself is done
      }
    }
  }
}
