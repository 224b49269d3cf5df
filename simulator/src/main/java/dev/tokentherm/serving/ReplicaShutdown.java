package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvMemory;
import dev.tokentherm.power.ReplicaGpus;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.Comparator;

/**
 * A replica's shutdown: it stops for good at one instant, when an iteration start finds one of its
 * GPUs at the profile's {@code thermal.shutdown_c} ({@code power.ClockGovernor#overheated}), when
 * the simulation calls {@link Replica#shutDown} (an idle replica whose GPU heats past it), or at
 * the time the test-only fault {@code shutdown-replica@SECONDS} names (replica 0). At that instant:
 * <ul>
 *   <li>the iteration in flight is lost: its tokens are never emitted and its prompt chunks never
 *       computed; the energy its GPUs drew for it is unattributed ({@link #lostJ}, in the books
 *       at the end of the run as an iteration cut short is);
 *   <li>every request on the replica fails ({@code Fleet#failed}) — decoding, prefilling, waiting
 *       (preempted ones too), swapped out or coming back from host memory — and with it its
 *       conversation (the user's service failed: the conversation ends, a closed-loop user or a
 *       probe sequence goes on as after any end) and the prompts pending behind it; the decodes
 *       receive their energy share of the completed decode steps as any leaving decode does, and
 *       the tokens the failed requests had generated are kept for the token law ({@link
 *       #failedGeneratedTokens});
 *   <li>its KV is freed: the prefix chains its requests pinned, then the whole prefix cache, the
 *       blocks decode growth took, the failed conversations' segments (as they end) and those of
 *       the conversations between turns (the fleet drops them); host memory held by swapped
 *       requests is freed;
 *   <li>its GPUs draw 0 W from then on ({@link ReplicaGpus#powerOff}), through the same path as
 *       every change of power, so the meters, the change log and the idle books stay one;
 *   <li>routers never choose it again ({@code routing.DeploymentsView#live}).
 * </ul>
 * The failed requests are reported in the order of their conversations' numbers, so a run is the
 * same whatever order the replica's parts held them in.
 */
final class ReplicaShutdown {
  private final Replica replica;
  private final ReplicaGpus gpus;
  private final ServingListener listener;
  private final Fleet fleet;
  private final Faults faults;
  private final ReplicaKv kv;
  private final WaitingQueue queue;
  private final DecodeSet decodes;
  private final PrefillSet prefills;
  private final ObjectLinkedOpenHashSet<Sequence> running;
  private final IterationLoop loop;
  /** The node's host memory, where swapped requests' KV waits (null without swap). */
  private HostMemory host;
  private boolean down;
  private double lostJ;
  private long failedGeneratedTokens;

  ReplicaShutdown(Replica replica, Engine engine, ReplicaGpus gpus, ServingListener listener, Fleet fleet,
      Faults faults, ReplicaKv kv, WaitingQueue queue, DecodeSet decodes, PrefillSet prefills,
      ObjectLinkedOpenHashSet<Sequence> running, IterationLoop loop) {
    this.replica = replica;
    this.gpus = gpus;
    this.listener = listener;
    this.fleet = fleet;
    this.faults = faults;
    this.kv = kv;
    this.queue = queue;
    this.decodes = decodes;
    this.prefills = prefills;
    this.running = running;
    this.loop = loop;
    if (replica.index() == 0 && faults.shutdownReplicaAtNs() >= 0) {
      engine.schedule(faults.shutdownReplicaAtNs(), Phase.STATE, 0, (e, arg) -> shutDown(e.now()), 0);
    }
  }

  /** The node's host memory, which swapped requests' KV occupies (with swap preemption). */
  void useHost(HostMemory host) {
    this.host = host;
  }

  boolean isDown() {
    return down;
  }

  /** The energy of the iteration a shutdown cut short, J (0 if none). */
  double lostJ() {
    return lostJ;
  }

  /** Tokens the failed requests had generated (emitted by completed iterations), for the token law. */
  long failedGeneratedTokens() {
    return failedGeneratedTokens;
  }

  /** See the class comment; a second call does nothing. */
  void shutDown(long now) {
    if (down) {
      return;
    }
    down = true;
    lostJ = loop.halt(now);
    ObjectArrayList<Sequence> failed = new ObjectArrayList<>();
    long step = decodes.step(); // completed decode steps (the one in flight, if any, never ends)
    for (Sequence q = decodes.poll(); q != null; q = decodes.poll()) {
      q.generated += (int) (step - q.k0); // one token per decode step it took part in
      kv.leaveDecodes(q, step - q.k0);
      decodes.finish(q, step); // its energy share of those steps
      failed.add(q);
    }
    prefills.failAll(failed);
    kv.failInTransit(failed);
    queue.failAll(failed);
    running.clear();
    KvMemory memory = kv.memory();
    for (Sequence q : failed) {
      failedGeneratedTokens += q.generated;
      if (q.pinnedKeys != null) {
        memory.release(q.pinnedKeys, q.pinnedCount, now);
        q.pinnedKeys = null;
      }
      kv.callOffSwap(q); // a failed sequence's copy out may still be on the links
      if (q.swapBytes > 0) {
        host.release(q.swapBytes);
        q.swapBytes = 0;
      }
    }
    memory.releaseGrowth(memory.growthBlocks()); // every running sequence's, the step in flight's included
    memory.dropPrefixCache();
    gpus.powerOff(now);
    listener.replicaShutDown(replica, now);
    failed.sort(Comparator.comparingLong(q -> q.request.conversation.id));
    boolean lose = faults.loseFailedCount(); // the test-only fault: the first failure goes uncounted
    for (Sequence q : failed) {
      fleet.failed(q.request, now, !lose); // its conversation ends: its segment is dropped
      lose = false;
    }
    fleet.replicaShutDown(replica, now);
  }
}
