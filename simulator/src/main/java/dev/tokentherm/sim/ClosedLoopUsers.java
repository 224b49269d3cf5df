package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.SyntheticConversations;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The closed-loop users of one workload entry on one target, and what they share (the horizon,
 * the conversation limit). Each user starts a conversation, and when it ends, another one after an
 * idle pause, until the horizon (then the user leaves).
 */
final class ClosedLoopUsers {
  private final Engine engine;
  private final Fleet fleet;
  /** The fleet's live closed-loop conversations and their users (to start the next on the end of one). */
  private final Long2ObjectOpenHashMap<User> live;
  /** With several targets, the number of each (user, k) conversation, shared by the copies; else null. */
  private final Long2LongOpenHashMap byUser;
  private final ConversationNumbers numbers;
  private final LiveWork work;
  private final SyntheticConversations source;
  private final long horizonNs;
  /** The workload entry's index: with the user, the key that orders simultaneous starts. */
  private final long workload;
  /** Conversations started by all users (for max_conversations). */
  private long started;

  ClosedLoopUsers(Engine engine, Fleet fleet, Long2ObjectOpenHashMap<User> live, SyntheticConversations source,
      long horizonNs, int workload, Long2LongOpenHashMap byUser, ConversationNumbers numbers, LiveWork work) {
    this.engine = engine;
    this.fleet = fleet;
    this.live = live;
    this.byUser = byUser;
    this.numbers = numbers;
    this.work = work;
    this.source = source;
    this.horizonNs = horizonNs;
    this.workload = workload;
  }

  /** Every user starts its first conversation at time 0. */
  void startAll() {
    for (int u = 0; u < source.users(); u++) {
      new User(u).start(0);
    }
  }

  /**
   * One closed-loop user. The pause and the script of the user's k-th conversation come from
   * streams of their own, indexed by (user, k), so they are the same whatever order the policy ends
   * and starts conversations in.
   */
  final class User implements EventHandler {
    private final int user;
    /** Conversations this user has started. */
    private long conversations;
    /** The drawn pause before the next conversation, ns (-1 before the first). */
    private long pauseNs = -1;

    private User(int user) {
      this.user = user;
    }

    /** The user starts a conversation at {@code atNs} (counts as live work until the user leaves). */
    private void start(long atNs) {
      work.add();
      // keyed by (workload, user): simultaneous starts take conversation numbers in user order,
      // also under --shuffle-ties
      engine.schedule(atNs, Phase.ARRIVAL, (workload << 32) | user, this, 0);
    }

    @Override
    public void onEvent(Engine e, long arg) {
      long id;
      if (byUser == null) {
        id = numbers.next();
      } else {
        long key = ((long) user << 32) | conversations;
        id = byUser.getOrDefault(key, -1L);
        if (id < 0) {
          id = numbers.next();
          byUser.put(key, id);
        }
      }
      live.put(id, this);
      work.add();
      fleet.startConversation(id, source.userScript(user, conversations++, pauseNs), e.now());
      started++;
      work.done(); // the pending start is now a live conversation
    }

    /** The user's conversation ended: the next one after a pause, or the user leaves. */
    void ended(long nowNs) {
      pauseNs = source.userIdleNs(user, conversations - 1);
      long next = nowNs + Math.max(1, pauseNs);
      Long max = source.maxConversations();
      if (next <= horizonNs && (max == null || started < max)) {
        start(next);
      }
    }
  }
}
