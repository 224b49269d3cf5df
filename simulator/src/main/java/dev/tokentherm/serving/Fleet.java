package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.serving.routing.Router;
import dev.tokentherm.workload.ConversationScript;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The replicas of one deployment and the conversations they serve: prompt arrivals, turn
 * boundaries, conversation ends, and routing: a conversation starts on a replica chosen
 * round-robin; then its {@link Router} chooses the replica of each request (session affinity keeps
 * it where it started), reading all deployments through {@link Fleets}.
 */
public final class Fleet implements EventHandler {
  private final Engine engine;
  private final ServingListener listener;
  private final long maxModelLen;
  private final Router router;
  private final Fleets fleets;
  /** This fleet's deployment number in {@link #fleets}. */
  private final int deployment;
  private final long windowStartNs;
  private final long windowEndNs;
  private final List<Replica> replicas = new ArrayList<>();
  private final Long2ObjectOpenHashMap<Conversation> live = new Long2ObjectOpenHashMap<>();
  /** The replica a new conversation starts on, in turn (its own counter: routing does not move it). */
  private int nextStartReplica;
  private Consumer<Conversation> onConversationEnded = c -> { };
  // the request books of the whole run, counted where each outcome happens (the request law)
  private long arrived;
  private long completed;
  private long rejected;
  private long timedOut;
  private long failed;
  private Books books;

  /**
   * @param router this deployment's own router (from the policy registry)
   * @param fleets every deployment's fleet, which this one joins (as the next deployment)
   */
  public Fleet(Engine engine, ServingListener listener, long maxModelLen, Router router, Fleets fleets,
      long windowStartNs, long windowEndNs) {
    this.engine = engine;
    this.listener = listener;
    this.maxModelLen = maxModelLen;
    this.router = router;
    this.fleets = fleets;
    this.deployment = fleets.add(this);
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
  }

  /** Called after each conversation ends (the simulation stops when no work is left). */
  public void onConversationEnded(Consumer<Conversation> hook) {
    this.onConversationEnded = hook;
  }

  /** Tokens per KV block of the deployment's replicas. */
  public int blockTokens() {
    return replicas.get(0).capacity().blockTokens();
  }

  public void addReplica(Replica r) {
    replicas.add(r);
  }

  public List<Replica> replicas() {
    return replicas;
  }

  /** Starts a conversation whose first prompt arrives at {@code firstArrivalNs}. */
  public void startConversation(long id, ConversationScript script, long firstArrivalNs) {
    startConversation(id, script, firstArrivalNs, 0);
  }

  /** Starts a conversation whose history of {@code preloadedTokens} tokens is already cached (a probe). */
  public void startConversation(long id, ConversationScript script, long firstArrivalNs, long preloadedTokens) {
    Replica replica = startReplica();
    live.put(id, new Conversation(id, replica, script, preloadedTokens));
    engine.schedule(firstArrivalNs, Phase.ARRIVAL, id, this, id);
  }

  /**
   * Starts a conversation already in progress (a pre-aged population): {@code turnsDone} turns
   * and {@code historyTokens} tokens of history, whose KV its replica holds as the stack would
   * (placed now, least recently active first, evicted as the pool requires); its next prompt
   * arrives at {@code nextArrivalNs}.
   */
  public void startInProgress(long id, ConversationScript script, int turnsDone, long historyTokens,
      long nextArrivalNs, long nowNs) {
    Replica replica = startReplica();
    Conversation c = new Conversation(id, replica, script, historyTokens);
    c.turnsStarted = turnsDone;
    live.put(id, c);
    replica.placeHistory(c, nowNs);
    engine.schedule(nextArrivalNs, Phase.ARRIVAL, id, this, id);
  }

  /**
   * The replica a new conversation starts on: the next live one in turn (with none live, the next
   * in turn: its first prompt fails at arrival).
   */
  private Replica startReplica() {
    int live = fleets.nextLive(deployment, nextStartReplica);
    int chosen = live < 0 ? nextStartReplica : live;
    nextStartReplica = (chosen + 1) % replicas.size();
    return replicas.get(chosen);
  }

  /** A prompt arrives: argument = conversation id. */
  @Override
  public void onEvent(Engine e, long conversationId) {
    Conversation c = live.get(conversationId);
    if (c != null) { // else: a fixed-time prompt of a conversation ended by a rejected turn
      arrive(c, e.now());
    }
  }

  /** A prompt of a conversation arrives now (trace replay drives its conversations' arrivals). */
  public void promptArrives(long conversationId, long now) {
    arrive(live.get(conversationId), now);
  }

  /** History tokens of a live conversation (a traced session's next prompt adds to it), -1 if it ended. */
  public long historyTokens(long conversationId) {
    Conversation c = live.get(conversationId);
    return c == null ? -1 : c.historyTokens + (c.active != null ? c.active.outputTokens + c.active.newTokens : 0)
        + pendingTokens(c);
  }

  private static long pendingTokens(Conversation c) {
    long t = 0;
    for (Request p : c.pending) {
      t += p.newTokens + p.outputTokens;
    }
    return t;
  }

  private void arrive(Conversation c, long now) {
    c.script.nextTurn(c.draw);
    boolean windowed = now >= windowStartNs && now < windowEndNs;
    Request r = new Request(c, c.turnsStarted, now, c.historyTokens + c.draw.userTokens,
        c.draw.userTokens, c.draw.modelTokens, windowed, c.draw.last);
    Request previous = c.lastRequest;
    double idleNow = c.replica.idleShareJ(c, now);
    if (previous != null) {
      previous.idleAtNextArrivalJ = idleNow;
      previous.nextArrivalNs = now;
      if (previous.doneNs >= 0) {
        listener.turnClosed(previous);
      }
    }
    r.idleAtArrivalJ = idleNow;
    r.blockKeys = c.draw.blockKeys;
    c.lastRequest = r;
    c.turnsStarted++;
    r.thinkNs = c.draw.thinkNs;
    r.traceLine = c.draw.traceLine;
    arrived++;
    listener.requestArrived(r);
    if (!c.draw.last && c.draw.nextArrivalNs >= 0) {
      engine.schedule(c.draw.nextArrivalNs, Phase.ARRIVAL, c.id, this, c.id);
    }
    if (c.active != null) {
      c.pending.addLast(r);
    } else {
      dispatch(r, now);
    }
  }

  /**
   * The replica for a request, as the router chooses, or null when no replica of the deployment is
   * live; a conversation that moves leaves its KV behind. A router's answer that is not live (one
   * written before shutdowns) gives way to the next live replica in turn.
   */
  private Replica route(Conversation c, Request request) {
    int first = replicas.get(0).index(); // a fleet's replicas are numbered in a row
    int chosen = router.route(fleets, deployment, c.replica.index() - first, request.blockKeys);
    if (chosen < 0 || !fleets.live(deployment, chosen)) {
      chosen = fleets.nextLive(deployment, Math.max(chosen, 0));
    }
    return chosen < 0 ? null : replicas.get(chosen);
  }

  public void limitAdmission(Integer maxQueue, Double queueTimeoutS) {
    for (Replica r : replicas) {
      r.limitAdmission(maxQueue == null ? 0 : maxQueue,
          queueTimeoutS == null ? 0 : dev.tokentherm.engine.Durations.toNanos(queueTimeoutS));
    }
  }

  /** A waiting request timed out: the user gives up, the conversation ends. */
  void timedOut(Request r, long now) {
    Conversation c = r.conversation;
    c.active = null;
    timedOut++;
    listener.requestTimedOut(r);
    end(c, r, now, false);
  }

  /**
   * The request failed (its replica shut down, or none was live when it arrived): the user's
   * service failed, the conversation ends and its pending prompts fail too. {@code counted} false
   * only under the {@code lose-failed-count} fault.
   */
  void failed(Request r, long now, boolean counted) {
    Conversation c = r.conversation;
    c.active = null;
    if (counted) {
      failed++;
    }
    listener.requestFailed(r);
    end(c, r, now, true);
  }

  /**
   * The replica shut down ({@link ReplicaShutdown}; its own requests have failed): the KV it held
   * for conversations between turns is gone with it; their next turns go to a live replica.
   */
  void replicaShutDown(Replica down, long now) {
    long[] ids = live.keySet().toLongArray();
    java.util.Arrays.sort(ids); // the same order in every run
    for (long id : ids) {
      Conversation c = live.get(id);
      if (c.replica == down) {
        if (c.active != null) {
          throw new IllegalStateException("conversation " + id + " still active on shut-down replica " + down.index());
        }
        down.release(c, now);
      }
    }
  }

  private void dispatch(Request r, long now) {
    Conversation c = r.conversation;
    r.contextTokens = c.historyTokens + r.newTokens; // a prompt queued behind a reply builds on that reply
    Replica target = route(c, r);
    if (target == null) { // every replica of the deployment shut down
      failed(r, now, true);
      return;
    }
    if (target != c.replica) {
      c.replica.release(c, now);
      c.replica = target;
    }
    c.active = r;
    String reason = c.replica.submit(r, maxModelLen);
    if (reason != null) {
      c.active = null;
      rejected++;
      listener.requestRejected(r, reason);
      end(c, r, now, false);
    }
  }

  /** Called by the replica when a reply's last token is out. */
  void replyDone(Conversation c, Request r, long now) {
    completed++;
    if (r.last) {
      end(c, r, now, false);
      return;
    }
    if (r.nextArrivalNs >= 0) {
      listener.turnClosed(r);
    }
    c.replica.markIdle(c, now);
    if (!c.pending.isEmpty()) {
      dispatch(c.pending.pollFirst(), now);
    } else if (c.draw.nextArrivalNs < 0 && !c.draw.externalArrivals) {
      if (r.thinkNs == 0) {
        arrive(c, now); // no think time: the prompt follows at once (no earlier phase at this instant)
      } else {
        engine.schedule(now + r.thinkNs, Phase.ARRIVAL, c.id, this, c.id);
      }
    }
  }

  /**
   * The conversation is over (its last reply is out, or a turn was rejected, timed out or failed):
   * free its KV. Prompts pending behind the last turn are rejected, or fail with it ({@code failPending}).
   */
  private void end(Conversation c, Request last, long now, boolean failPending) {
    while (!c.pending.isEmpty()) {
      Request p = c.pending.pollFirst();
      if (failPending) {
        failed++;
        listener.requestFailed(p);
      } else {
        rejected++;
        listener.requestRejected(p, "an earlier turn of the conversation was rejected");
      }
    }
    c.replica.release(c, now);
    live.remove(c.id);
    last.idleAtNextArrivalJ = c.idleJ;
    last.nextArrivalNs = now;
    if (last.doneNs >= 0) {
      listener.turnClosed(last);
    }
    listener.conversationEnded(c);
    onConversationEnded.accept(c);
  }

  /**
   * End of run: each replica closes its books (returns the energy of iterations cut short); live
   * conversations receive their idle share up to now and are reported with their in-flight requests.
   */
  public double flush(long now, Consumer<Request> inFlight, Consumer<Conversation> liveConversation) {
    double cut = 0;
    long unfinished = 0;
    for (Replica r : replicas) {
      cut += r.flush(now, inFlight);
      unfinished += r.books().unfinishedRequests();
    }
    long[] segmentBlocks = new long[replicas.size()];
    long[] ids = live.keySet().toLongArray();
    java.util.Arrays.sort(ids);
    for (long id : ids) {
      Conversation c = live.get(id);
      segmentBlocks[c.replica.index() - replicas.get(0).index()] += c.kv.blocks(); // a fleet's replicas are numbered in a row
      c.idleJ = c.replica.idleShareJ(c, now);
      for (Request p : c.pending) {
        inFlight.accept(p);
        unfinished++;
      }
      liveConversation.accept(c);
    }
    books = new Books(arrived, completed, rejected, timedOut, unfinished, segmentBlocks, failed);
    return cut;
  }

  /**
   * The deployment's request books for the whole run, each outcome counted where it happens
   * (failed: on a replica that shut down, or with none live) and the unfinished requests found where
   * they wait or run; and, per replica, the blocks its live conversations' segments hold (the KV
   * law's recount).
   */
  public record Books(long arrived, long completed, long rejected, long timedOut, long unfinished,
      long[] segmentBlocks, long failed) {}

  /** The books as closed by {@link #flush}. */
  public Books books() {
    return books;
  }
}
