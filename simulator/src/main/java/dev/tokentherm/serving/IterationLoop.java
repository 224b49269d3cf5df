package dev.tokentherm.serving;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.power.ReplicaGpus;
import dev.tokentherm.serving.policy.AdmissionPolicy;
import dev.tokentherm.serving.policy.BatchPlan;
import dev.tokentherm.serving.policy.BatchPolicy;
import dev.tokentherm.serving.policy.PreemptionVictimPolicy;
import dev.tokentherm.serving.policy.ReplicaView;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.function.BooleanSupplier;

/**
 * A replica's iteration loop, which ties its parts together. Before each iteration it admits
 * waiting requests ({@link WaitingQueue}, in its admission policy's order, while sequences and KV
 * blocks allow: {@link ReplicaKv#reserve}), lets the batch policy plan the iteration (decodes in or
 * out: the {@link DecodeSet}; a chunk per prompt: the {@link PrefillSet}), takes the blocks its
 * decode step starts (preempting the victim policy's requests while too few are free) and asks the
 * roofline for its cost. When the iteration ends, the {@link EnergyBooks} charge it, finished
 * replies complete and finished prompts join the decodes. A {@link StallWatch} reports a replica
 * that stops making progress.
 */
final class IterationLoop implements EventHandler {
  private static final long SCHEDULE = 0;
  private static final long ITERATION_END = 1;

  private final Replica replica;
  private final Engine engine;
  private final Roofline roofline;
  private final BatchPolicy policy;
  private final PreemptionVictimPolicy victims;
  private final boolean prefixCaching;
  private final ReplicaGpus gpus;
  private final ServingListener listener;
  private final Fleet fleet;
  private final Faults faults;

  private final EnergyBooks energy;
  private final ReplicaKv kv;
  private final WaitingQueue queue;
  private final DecodeSet decodes;
  private final PrefillSet prefills;
  /** Running requests (prefilling or decoding) in admission order: preemption's candidates. */
  private final ObjectLinkedOpenHashSet<Sequence> running;
  private final StallWatch stall;
  private final LoadGate gate;
  private final BatchPlan plan = new BatchPlan();
  private final ReplicaView view;
  private final BooleanSupplier seatFree;
  private final AdmissionPolicy.Admitter<Sequence> admitter = this::offer;

  // the books the conservation checks read (counted where the work happens)
  private long tokensEmitted;
  private long completedOutputTokens;
  private long preemptions;
  /** The books as {@link #flush} recounted them at the run's end (null before). */
  private Replica.Books books;

  // the iteration in flight
  private boolean busy;
  private boolean scheduled;
  /** The replica shut down: no iteration ever starts again ({@link #halt}). */
  private boolean halted;
  /** The engine's handle of the in-flight iteration's end (a shutdown calls it off). */
  private long iterationEnd = -1;
  private boolean decodesInIteration;
  private long iterationStartNs;
  private long iterationNs;
  /** The replica's GPU meters at the iteration's start, J. */
  private double iterationStartJ;
  /** The drop-iteration-energy fault has dropped its one iteration. */
  private boolean energyDropped;
  private final BatchWork work = new BatchWork();
  private final IterationCost cost = new IterationCost();

  IterationLoop(Replica replica, Engine engine, Roofline roofline, BatchPolicy policy, PreemptionVictimPolicy victims,
      int maxBatchedTokens, int maxSeqs, boolean prefixCaching, ReplicaGpus gpus, ServingListener listener, Fleet fleet, Faults faults, EnergyBooks energy, ReplicaKv kv, WaitingQueue queue,
      DecodeSet decodes, PrefillSet prefills, ObjectLinkedOpenHashSet<Sequence> running, ReplicaTiers tiers) {
    this.replica = replica;
    this.engine = engine;
    this.roofline = roofline;
    this.policy = policy;
    this.victims = victims;
    this.prefixCaching = prefixCaching;
    this.gpus = gpus;
    this.listener = listener;
    this.fleet = fleet;
    this.faults = faults;
    this.energy = energy;
    this.kv = kv;
    this.queue = queue;
    this.decodes = decodes;
    this.prefills = prefills;
    this.running = running;
    this.gate = new LoadGate(kv, tiers, running, prefills, this::joinDecode);
    this.stall = new StallWatch(replica.index(), engine, () -> queue.live() > 0 && running.isEmpty());
    this.view = new PolicyView(decodes, prefills, maxBatchedTokens, maxSeqs);
    this.seatFree = () -> decodes.count() + prefills.size() + kv.inTransit() < maxSeqs;
  }

  long preemptions() {
    return preemptions;
  }

  StallWatch stall() {
    return stall;
  }

  /** Work may have arrived: an iteration starts now unless one is running or about to. */
  void wake() {
    if (!busy && !scheduled && !halted) {
      scheduled = true;
      engine.schedule(engine.now(), Phase.SCHEDULE, replica.index(), this, SCHEDULE);
    }
  }

  @Override
  public void onEvent(Engine e, long what) {
    long now = e.now();
    if (what == SCHEDULE) {
      scheduled = false;
    } else {
      endIteration(now);
    }
    startIteration(now);
  }

  private void startIteration(long now) {
    if (busy || halted || gate.holds()) { // a synchronous connector's load holds the batch
      return;
    }
    if (gate.rejoin() && policy.mayAdmit(view)) {
      queue.admit(seatFree, admitter);
    }
    if (gate.holds()) {
      return; // an admitted request's KV loads synchronously: the iteration waits for it
    }
    plan.clear(prefills.size());
    policy.plan(view, plan);
    if (kv.incremental() && plan.includeDecodes && decodes.count() > 0 && takeStepBlocks(now)) {
      plan.clear(prefills.size()); // preemption changed the batch
      policy.plan(view, plan);
    }
    work.clear();
    decodesInIteration = plan.includeDecodes && decodes.count() > 0;
    if (decodesInIteration) {
      work.decodeSeqs = decodes.count();
      for (int s = 0; s < Architecture.SLOTS; s++) {
        work.decodeUnits[s] = decodes.units(s);
      }
      work.samplingSeqs = decodes.count();
    }
    work.extraTokens = decodes.pendingFoldTokens();
    prefills.addChunks(plan, work);
    if (work.seqs() == 0) {
      return; // nothing to run: the replica idles until a request arrives or is admitted
    }
    decodes.clearPendingFolds();
    gpus.cost(now, roofline, work, cost); // at the governor's clock (boost, uncapped, below slowdown_c: k = 1)
    if (gpus.overheated()) { // a GPU at shutdown_c: the replica stops instead (ReplicaShutdown)
      replica.shutDown(now);
      return;
    }
    iterationNs = Durations.toNanos(cost.totalS());
    iterationStartNs = now;
    busy = true;
    iterationStartJ = energy.setIdle(now, false); // the meters' reading, which the idle books read too
    gpus.run(now, cost.activity, cost.totalS()); // each stage draws the power of its own work
    iterationEnd = engine.schedule(now + iterationNs, Phase.COMPLETION, replica.index(), this, ITERATION_END);
  }

  /** The replica's answer to the admission policy's offer of a waiting request. */
  private AdmissionPolicy.Offer offer(Sequence q) {
    Request r = q.request;
    if (r.timedOut) {
      return AdmissionPolicy.Offer.GONE;
    }
    long now = engine.now();
    if (!kv.reserve(q, now)) {
      waitForMemory(q, now);
      return AdmissionPolicy.Offer.NO_ROOM;
    }
    queue.admitted(q);
    energy.joinResidency(r.conversation, now);
    if (r.admittedNs < 0) { // a preempted request keeps its first admission (its queueing delay)
      r.admittedNs = now;
    }
    stall.progress();
    if (q.swapped || q.loadTier > 0) {
      kv.swapIn(q, now); // it rejoins the decodes (or starts its prefill) when its KV is back
    } else {
      prefills.add(q);
      running.add(q);
    }
    return AdmissionPolicy.Offer.ADMITTED;
  }

  /** The head of the queue does not fit: with nothing running and no transfer pending, a possible stall. */
  private void waitForMemory(Sequence q, long now) {
    if (running.isEmpty() && kv.inTransit() == 0) {
      stall.blocked(now, "deployment " + replica.deployment() + " replica " + replica.index() + ": " + queue.live()
          + " requests waiting and none running; the first (conversation " + q.request.conversation.id + ", turn "
          + q.request.turn + ") " + kv.shortfall(q.request));
    }
  }

  /** Takes the blocks this decode step starts, preempting while too few are free; true if it preempted. */
  private boolean takeStepBlocks(long now) {
    boolean preempted = false;
    long need = kv.stepBlocks(decodes.step());
    while (!kv.reclaim(need, now) && !running.isEmpty()) {
      preempt(victims.victim(running), now);
      preempted = true;
      need = kv.stepBlocks(decodes.step());
    }
    stall.decodeStep(preempted);
    kv.grow(need);
    return preempted;
  }

  /** Preempts a running request: it gives its KV back (see {@link ReplicaKv#preempted}) and waits again. */
  private void preempt(Sequence q, long now) {
    Request r = q.request;
    running.remove(q);
    boolean decoding = !prefills.remove(q);
    long computed; // tokens whose KV is written
    long growth = 0;
    if (decoding) {
      long steps = decodes.preempt(q);
      growth = kv.leaveDecodes(q, steps); // the blocks its steps started
      computed = q.n0 + steps;
      q.generated += (int) steps;
    } else {
      computed = r.cachedTokens + q.prefilledTokens;
    }
    q.prefilledTokens = 0; // whatever was computed is gone (or on the host, or cached)
    kv.preempted(q, decoding, growth, computed, now);
    r.preemptions++;
    preemptions++;
    queue.requeue(q);
    listener.requestPreempted(r);
  }

  private void endIteration(long now) {
    busy = false;
    energy.iterationEnded(cost, iterationJ(now), work.seqs());
    if (!decodesInIteration) {
      iterationDone(0, 0, 0);
      finishPrompts(now);
      return;
    }
    tokensEmitted += decodes.count() + (faults.extraToken() ? 1 : 0); // each running decode emits one token
    long k = decodes.step();
    long gap = decodes.endStep(now);
    gpus.decodeStepEnded(now, gap); // an adaptive clock policy observes its token gaps (power.ClockPolicy)
    energy.chargeDecodeStep(k);
    iterationDone(decodes.count(), decodes.windowed() - decodes.windowedJoiners(), gap);
    decodes.advanceUnits();
    long boundary = k + 1;
    for (Sequence q = decodes.pollEvent(boundary); q != null; q = decodes.pollEvent(boundary)) {
      if (q.finishIteration == k) {
        finishDecode(q, boundary);
        complete(q, now);
      } else {
        decodes.crossBreakpoint(q, boundary);
      }
    }
    finishPrompts(now);
  }

  private void iterationDone(int decodeTokens, int continuingWindowed, long gapNs) {
    listener.iterationDone(replica, iterationStartNs, iterationNs, cost, decodeTokens + prefills.finishingChunks(),
        continuingWindowed, gapNs);
  }

  /** Charges the prompt chunks of the iteration and moves finished prompts to decoding. */
  private void finishPrompts(long now) {
    ObjectArrayList<Sequence> done = prefills.finishChunks();
    for (int i = 0; i < done.size(); i++) {
      Sequence q = done.get(i);
      Request r = q.request;
      kv.promptComputed(q, now);
      if (r.firstTokenNs < 0) {
        r.firstTokenNs = now;
      }
      q.generated++; // the prompt's pass samples one token (the first, or the next after a recompute)
      tokensEmitted++;
      if (q.generated >= r.outputTokens) {
        if (r.outputTokens == 1) {
          r.maxTbtNs = -1;
        }
        complete(q, now);
      } else {
        joinDecode(q);
      }
    }
    done.clear();
    energy.setIdle(now, true);
    gpus.rest(now);
  }

  /** What the replica's GPU meters read over the iteration ending now (the one source of its joules). */
  private double iterationJ(long now) {
    double j = gpus.energyJ(now) - iterationStartJ;
    if (faults.dropIterationEnergy() && !energyDropped) {
      energyDropped = true; // the test-only fault: one iteration's delta never reaches the books
      return 0;
    }
    return j;
  }

  /** A request whose prompt is done (or whose KV is back) decodes from the next decode step on. */
  private void joinDecode(Sequence q) {
    long n0 = q.request.contextTokens + q.request.recomputeTokens;
    kv.joinDecodes(q, n0, decodes.step());
    decodes.join(q, n0, q.request.outputTokens - q.generated);
  }

  private void finishDecode(Sequence q, long boundary) {
    q.growthBlocks = kv.leaveDecodes(q, boundary - q.k0);
    decodes.finish(q, boundary);
  }

  /** The reply is done: the conversation keeps its KV (or frees it without prefix caching). */
  private void complete(Sequence q, long now) {
    Request r = q.request;
    r.doneNs = now;
    queue.done(q);
    completedOutputTokens += r.outputTokens;
    Conversation c = r.conversation;
    c.historyTokens = r.contextTokens + r.outputTokens;
    running.remove(q);
    kv.completed(q, now);
    c.active = null;
    listener.requestDone(r);
    if (!prefixCaching) {
      kv.drop(c, now);
    }
    fleet.replyDone(c, r, now);
  }

  /**
   * The replica shuts down ({@link ReplicaShutdown}): no iteration starts again, and one in flight
   * never ends (its tokens and chunks are lost); returns the energy its GPUs drew for it, J.
   */
  double halt(long now) {
    halted = true;
    double lostJ = busy ? gpus.energyJ(now) - iterationStartJ : 0;
    engine.cancel(iterationEnd);
    busy = false;
    energy.setIdle(now, true); // from now on the GPUs draw nothing: idle or not, no energy flows
    return lostJ;
  }

  /** See {@link Replica#flush}; returns the energy cut short; closes the books (failed requests' tokens too). */
  double flush(long now, java.util.function.Consumer<Request> inFlight, long failedGeneratedTokens) {
    energy.advanceIdle(now);
    double cut = busy ? gpus.energyJ(now) - iterationStartJ : 0;
    // the books, recounted from the sequences themselves before they are flushed
    long stepInFlight = busy && decodesInIteration ? 1 : 0; // its blocks were taken at its start
    long step = decodes.step();
    long growth = 0;
    long generated = prefills.generatedTokens() + queue.generatedTokens();
    for (Sequence q : decodes.sequences()) { // order-free sums
      growth += kv.growthAfter(q, step - q.k0 + stepInFlight);
      generated += q.generated + (step - q.k0);
    }
    generated += kv.inTransitGeneratedTokens();
    long unfinished = 0;
    for (Sequence q = decodes.poll(); q != null; q = decodes.poll()) { // the run is over: the heap may be emptied
      finishDecode(q, step);
      inFlight.accept(q.request);
      unfinished++;
    }
    unfinished += prefills.reportUnfinished(inFlight);
    unfinished += kv.reportInTransit(inFlight);
    unfinished += queue.reportUnfinished(inFlight, faults.hideUnfinished());
    books = new Replica.Books(kv.memory().pool().live(), kv.memory().prefixBlocks(), growth, tokensEmitted,
        completedOutputTokens, generated, prefills.tokensRun(), prefills.tokensPlannedAndRun(), unfinished,
        kv.swapFallbacks(), failedGeneratedTokens);
    return cut;
  }

  Replica.Books books() {
    return books;
  }
}
