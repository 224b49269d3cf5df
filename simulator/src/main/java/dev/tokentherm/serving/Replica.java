package dev.tokentherm.serving;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.kv.BlockPool;
import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.kv.KvCapacity;
import dev.tokentherm.kv.KvMemory;
import dev.tokentherm.net.Network;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.power.ReplicaGpus;
import dev.tokentherm.serving.books.IdleLedger;
import dev.tokentherm.serving.policy.AdmissionPolicy;
import dev.tokentherm.serving.policy.BatchPolicy;
import dev.tokentherm.serving.policy.PreemptionVictimPolicy;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.function.Consumer;

/**
 * One model replica on its GPUs, with continuous batching: what the fleet, the simulation and the
 * metrics see of it, over parts with one job each.
 * <ul>
 *   <li>{@link WaitingQueue}: the waiting requests, in the {@link AdmissionPolicy}'s order, and the
 *       admission limits (max queue, queue timeout, max_model_len, requests that could never fit);
 *   <li>{@link ReplicaKv}: the replica's use of its KV owner, {@link KvMemory}: what admission
 *       takes (evicting idle conversations' KV and cached prefix blocks in the eviction policy's
 *       order), decode growth, preemption's release, swap to host memory;
 *   <li>{@link DecodeSet} and {@link PrefillSet}: the running decodes, in aggregate (an iteration
 *       costs O(prefill chunks + events), never a loop over running sequences), and the prompts
 *       being computed with the iteration's chunks;
 *   <li>{@link EnergyBooks}: the charging of each iteration's and each idle interval's energy to
 *       requests and conversations;
 *   <li>{@link IterationLoop}: the loop that ties them together: admission, the {@link
 *       BatchPolicy}'s plan, preemption (the {@link PreemptionVictimPolicy}'s victim), iteration
 *       ends; with a {@link StallWatch} that reports a replica that can admit nothing while nothing
 *       runs ({@link #stallReport}) or that preempts without end ({@link #livelocked});
 *   <li>{@link ReplicaShutdown}: the replica's end for good ({@link #shutDown}), its requests failed.
 * </ul>
 */
public final class Replica {
  private final int index;
  private final String deployment;
  private int deploymentIndex;
  private final KvCapacity capacity;
  private final ReplicaGpus gpus;
  private final EnergyBooks energy;
  private final ReplicaKv kv;
  private final ReplicaTiers tiers;
  private final WaitingQueue queue;
  private final DecodeSet decodes;
  private final PrefillSet prefills;
  private final IterationLoop loop;
  private final ReplicaShutdown shutdown;

  public Replica(int index, String deployment, Engine engine, Roofline roofline, KvCapacity capacity,
      BatchPolicy policy, AdmissionPolicy admission, PreemptionVictimPolicy victims, int maxBatchedTokens,
      int maxSeqs, boolean prefixCaching, ReplicaGpus gpus, ServingListener listener, Fleet fleet,
      EvictionPolicy eviction, boolean tailFirst, Faults faults) {
    this.index = index;
    this.deployment = deployment;
    this.capacity = capacity;
    this.gpus = gpus;
    this.energy = new EnergyBooks(roofline, gpus::energyJ);
    this.tiers = new ReplicaTiers(engine, capacity, roofline, gpus.count(), prefixCaching, energy);
    this.kv = new ReplicaKv(engine, capacity, roofline.architecture(), prefixCaching, eviction, tailFirst,
        faults, energy, gpus.count(), this::wake, tiers);
    tiers.attach(kv);
    this.queue = new WaitingQueue(index, engine, capacity, kv, fleet, admission);
    this.decodes = new DecodeSet(roofline.architecture(), energy, listener, this);
    this.prefills = new PrefillSet(roofline.architecture(), energy, faults.extraPrefill());
    ObjectLinkedOpenHashSet<Sequence> running = new ObjectLinkedOpenHashSet<>();
    this.loop = new IterationLoop(this, engine, roofline, policy, victims, maxBatchedTokens, maxSeqs, prefixCaching,
        gpus, listener, fleet, faults, energy, kv, queue, decodes, prefills, running, tiers);
    this.shutdown = new ReplicaShutdown(this, engine, gpus, listener, fleet, faults, kv, queue, decodes, prefills,
        running, loop);
  }

  private void wake() {
    loop.wake();
  }

  public int index() {
    return index;
  }

  public String deployment() {
    return deployment;
  }

  /** The deployment's number (its place in the scenario), for per-deployment figures; 0 unless set. */
  public int deploymentIndex() {
    return deploymentIndex;
  }

  /** Sets the deployment's number (setup only). */
  public void deploymentIndex(int number) {
    this.deploymentIndex = number;
  }

  public KvCapacity capacity() {
    return capacity;
  }

  /** The counters of the replica's KV blocks (taken and freed through {@link #kvMemory}). */
  public BlockPool blocks() {
    return kv.memory().pool();
  }

  /** The owner of the replica's KV memory. */
  public KvMemory kvMemory() {
    return kv.memory();
  }

  public IdleLedger idleLedger() {
    return energy.idleLedger();
  }

  /** Conversations whose KV was evicted whole. */
  public long evictions() {
    return kv.memory().segmentsEvicted();
  }

  public int gpuCount() {
    return gpus.count();
  }

  /** Cluster indices of this replica's GPUs, stage by stage. */
  /** Seconds of its iterations at min_mhz still over the power cap (power.ClockGovernor). */
  public double capUnmetS() {
    return gpus.capUnmetS();
  }

  /** GPU-seconds of its iterations whose clock {@code reason} lowered (power.ClockGovernor#throttledS). */
  public double throttledS(int reason) {
    return gpus.throttledS(reason);
  }

  public int[] gpus() {
    return gpus.indices();
  }

  /** Admission limits of the deployment: most waiting requests (≤ 0: none), queue timeout (0: none). */
  void limitAdmission(int maxQueue, long queueTimeoutNs) {
    queue.limit(maxQueue, queueTimeoutNs);
  }

  /**
   * Preemption ({@code kv.preemption}): none = a request reserves at admission the blocks its turn
   * ends with; recompute / swap = it takes its prompt's blocks at admission and one more whenever a
   * decode step starts a new block (counted in aggregate by the residue of its position), and when
   * a step finds too few free blocks, after evicting idle conversations' KV, the victim policy's
   * running request (vLLM's: the most recently admitted) is preempted: its KV is dropped and
   * recomputed later with its generated tokens, or swapped to host memory over the host link and
   * back: each copy one flow per GPU on the run's {@code network} ({@code swapRoutes}: each GPU's
   * host link and its node's DRAM), sharing the links max-min fairly with the other copies in flight
   * (B bytes per GPU alone on a link take B / its bandwidth), while the other sequences keep
   * running; the KV needs room in the node's host memory, else the victim is recomputed instead
   * (counted in its books, {@code kv.swap_fallbacks}).
   */
  public void enablePreemption(boolean swapToHost, Network network, int[][] swapRoutes, double watermark,
      HostMemory host) {
    kv.enablePreemption(swapToHost, network, swapRoutes, watermark, host);
    shutdown.useHost(host);
  }

  /**
   * KV tiers below HBM ({@link KvTiers}, null: none) and the policies of this replica's
   * conversations between turns: {@code placement} ({@link dev.tokentherm.kv.tier.TierPlacement}),
   * {@code reuse} (load, recompute, auto), {@code kv.idle_ttl_s} in ns and its KV connector. Setup only.
   */
  public void useTiers(dev.tokentherm.kv.tier.KvTiers tiers, int node, int placement, String reuse, long ttlNs,
      ConnectorRules connector) {
    this.tiers.use(tiers, node, gpus.indices()[0], placement,
        reuse.equals("recompute") ? ReplicaTiers.RECOMPUTE : reuse.equals("auto") ? ReplicaTiers.AUTO
            : ReplicaTiers.LOAD, ttlNs, connector);
  }

  /** Seconds of prefill the history adds to a prompt of {@code newTokens} (the auto reuse's recompute estimate). */
  public double recomputeS(long newTokens, long historyTokens) {
    return tiers.recomputeS(newTokens, historyTokens);
  }

  /** Blocks of the prompt's cached prefix here (0 without keys): the prefix-aware router's measure. */
  public int cachedPrefixBlocks(long[] keys) {
    return kvMemory().prefix() == null || keys == null ? 0 : kvMemory().prefix().match(keys, keys.length);
  }

  /**
   * Prompt tokens found in the prefix cache, in HBM or in a lower tier they were loaded from (the
   * tier saves their prefill as HBM would), and looked up.
   */
  public long prefixHitTokens() {
    return kvMemory().prefix() == null ? 0 : kvMemory().prefix().hitTokens() + tiers.lowerTierHitTokens();
  }

  /** Blocks the prefix cache holds (cached or pinned), and those pinned by running requests. */
  public long prefixLiveBlocks() {
    return kvMemory().prefixBlocks();
  }

  public long prefixPinnedBlocks() {
    return kvMemory().prefix() == null ? 0 : kvMemory().prefix().pinnedBlocks();
  }

  public long prefixLookupTokens() {
    return kvMemory().prefix() == null ? 0 : kvMemory().prefix().hitTokens() + kvMemory().prefix().missTokens();
  }

  public long preemptions() {
    return loop.preemptions();
  }

  /** True when preemption stopped making progress (2,000 decode steps in a row preempted). */
  public boolean livelocked() {
    return loop.stall().livelocked();
  }

  /** Why this replica stalled (requests waiting that nothing can ever admit), or null. */
  public String stallReport() {
    return loop.stall().report();
  }

  /** Requests waiting for admission (timed-out ones excluded). */
  public int waitingRequests() {
    return queue.live();
  }

  /**
   * When the longest-waiting unserved request here arrived, ns, or -1 if none: the head of the
   * queue (timed-out ones skipped) or an admitted prompt still without its first token (a policy
   * such as decode-priority can starve admitted prompts).
   */
  public long oldestUnservedArrivalNs() {
    return prefills.oldestUnservedArrivalNs(queue.oldestArrivalNs());
  }

  /** Requests admitted and not done. */
  public int runningRequests() {
    return decodes.count() + prefills.size();
  }

  /**
   * Shuts the replica down for good at {@code nowNs} (now, in the engine's time): its GPUs draw 0 W
   * from then on, the iteration in flight is lost, every request on it fails and its KV is freed
   * (see {@link ReplicaShutdown}); routers never choose it again. Called when an iteration start
   * finds a GPU at the profile's {@code thermal.shutdown_c}, and by the simulation (an idle
   * replica's GPU that heats past it); a second call does nothing.
   */
  public void shutDown(long nowNs) {
    shutdown.shutDown(nowNs);
  }

  /** Whether the replica shut down (it never serves again). */
  public boolean isShutDown() {
    return shutdown.isDown();
  }

  /** Tokens still to prefill and decode for the requests queued or running here. */
  public long outstandingTokens() {
    return queue.outstandingTokens();
  }

  /** Queues a request; returns a reason when it cannot be served here, else null. */
  String submit(Request r, long maxModelLen) {
    String reason = queue.submit(r, maxModelLen);
    if (reason == null) {
      wake();
    }
    return reason;
  }

  /**
   * Places a pre-aged conversation's history in the KV as the stack would hold it between turns
   * (its last reply's last token never written): idle, the most recently active so far, evicting
   * older ones if the pool is full; a history that cannot fit is left to be recomputed.
   */
  void placeHistory(Conversation c, long now) {
    tiers.placeHistory(c, now);
  }

  /** Called by the fleet when a conversation ends or is rejected: frees its KV. */
  void release(Conversation c, long now) {
    kv.drop(c, now);
  }

  /** Makes an idle conversation the most recently used candidate for eviction. */
  void markIdle(Conversation c, long now) {
    kv.markIdle(c, now);
  }

  /** The conversation's idle share so far, up to {@code now}. */
  double idleShareJ(Conversation c, long now) {
    return energy.idleShareJ(c, now);
  }

  // --- end of run

  /**
   * Closes the books at the end of the run: the energy of an iteration still running, or of one a
   * shutdown cut short, goes to unattributed (returned), running decodes receive their share of completed iterations, and
   * every request found in flight (decoding, prefilling, coming back from host memory, waiting) is
   * reported to {@code inFlight}.
   */
  double flush(long now, Consumer<Request> inFlight) {
    return loop.flush(now, inFlight, shutdown.failedGeneratedTokens()) + shutdown.lostJ();
  }

  /**
   * What the conservation checks compare at the end of a run, each side counted where its work
   * happens: the pool's live blocks against the prefix cache's own count and the growth recounted
   * from the running sequences' positions (the fleet adds its conversations' segments); tokens
   * emitted by iterations against completed outputs and unfinished and failed requests' generated tokens;
   * prefill tokens run by iterations against those planned at admission (the context less the KV
   * the owner held) less what is still to run; requests found unfinished.
   */
  public record Books(long poolLiveBlocks, long prefixBlocks, long growthBlocks, long tokensEmitted,
      long completedOutputTokens, long unfinishedGeneratedTokens, long prefillTokensRun, long prefillTokensPlanned,
      long unfinishedRequests, long swapFallbacks, long failedGeneratedTokens) {}

  /** The books as closed by {@link #flush}. */
  public Books books() {
    return loop.books();
  }
}
