package dev.tokentherm.sim;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.SampleSink;
import dev.tokentherm.metrics.TurnSink;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.NodeGroup;
import dev.tokentherm.scenario.Podcast;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.Workload;
import dev.tokentherm.scenario.Probe;
import dev.tokentherm.serving.Conversation;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.ProbeScript;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.workload.PodcastScript;
import dev.tokentherm.workload.SyntheticConversations;
import dev.tokentherm.workload.trace.TraceProblems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a scenario, as a library call: no console output, no exit, no static state. Builds
 * the cluster, deployments and workload, runs the engine until no work is left or the drain limit,
 * and closes the energy books.
 */
public final class Simulation {
  /** Simulated time between progress reports. */
  private static final long PROGRESS_SLICE_NS = 60_000_000_000L;

  private final Scenario scenario;
  private final ResolvedProfiles profiles;
  private final Long tieShuffleSeed;
  private final Engine engine;
  private final List<Fleet> fleets = new ArrayList<>();
  private final List<DeploymentPlan> plans = new ArrayList<>();
  private final List<Replica> replicas = new ArrayList<>();
  private GpuMeters meters;
  /** Each GPU's deployment number, or the deployment count for a GPU no deployment uses. */
  private int[] groupOf;
  /** The nodes' host power besides their GPUs (host_idle_w summed), W. */
  private double hostW;
  private int nodeCount;
  /** Every GPU group's energy at the measure window's start and end (null until reached). */
  private final double[][] groupWindowEnergy = new double[2][];
  private RunMetrics metrics;
  private long liveWork;
  private long nextConversationId;
  /** When the last conversation ended (no work left), ns. */
  private long finishedAtNs;

  /** The folder paths in the scenario (trace files) resolve against: the scenario file's. */
  private Path baseDir = Path.of("");
  /** Test-only faults that break a conservation law on purpose (none in a real run). */
  private dev.tokentherm.serving.Faults faults = dev.tokentherm.serving.Faults.NONE;
  /** Why a replica stalled (the run stopped), or null. */
  private String stalled;

  private Simulation(Scenario scenario, ResolvedProfiles profiles, Long tieShuffleSeed) {
    this.scenario = scenario;
    this.profiles = profiles;
    this.tieShuffleSeed = tieShuffleSeed;
    this.engine = tieShuffleSeed == null ? new Engine() : new Engine(tieShuffleSeed);
  }

  /** Runs the scenario; turns stream to {@code turns} as they close. */
  public static RunResult run(Scenario scenario, ResolvedProfiles profiles, TurnSink turns, Progress progress)
      throws SetupException {
    return run(scenario, profiles, RunSinks.turnsOnly(turns), progress, Path.of(""));
  }

  /** As {@link #run}, streaming to {@code sinks}, with the scenario's paths resolved against {@code baseDir}. */
  public static RunResult run(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks, Progress progress,
      Path baseDir) throws SetupException {
    Simulation s = new Simulation(scenario, profiles, null);
    s.baseDir = baseDir;
    return s.execute(sinks, progress);
  }

  /** As {@link #run}, with test-only faults injected (to see the conservation checks fail). */
  public static RunResult runWithFaults(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks, Progress progress,
      Path baseDir, dev.tokentherm.serving.Faults faults) throws SetupException {
    Simulation s = new Simulation(scenario, profiles, null);
    s.baseDir = baseDir;
    s.faults = faults;
    return s.execute(sinks, progress);
  }

  /** Debug: the same run with order-free ties shuffled (every summary must stay the same). */
  public static RunResult runWithShuffledTies(Scenario scenario, ResolvedProfiles profiles, TurnSink turns,
      long shuffleSeed, Path baseDir) throws SetupException {
    return runWithShuffledTies(scenario, profiles, RunSinks.turnsOnly(turns), shuffleSeed, baseDir);
  }

  /** As above, streaming every output to {@code sinks}. */
  public static RunResult runWithShuffledTies(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks,
      long shuffleSeed, Path baseDir) throws SetupException {
    Simulation s = new Simulation(scenario, profiles, shuffleSeed);
    s.baseDir = baseDir;
    return s.execute(sinks, Progress.NONE);
  }

  /** Resolves every deployment against the profiles without running (validation, capacity). */
  public static List<DeploymentPlan> plan(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    Simulation s = new Simulation(scenario, profiles, null);
    s.layOut(null);
    return s.plans;
  }

  private RunResult execute(RunSinks sinks, Progress progress) throws SetupException {
    long horizonNs = Durations.toNanos(scenario.horizonS());
    long deadlineNs = horizonNs + Durations.toNanos(scenario.maxDrainS());
    long windowStart = 0;
    long windowEnd = Long.MAX_VALUE;
    if (scenario.measure() != null) {
      windowStart = Durations.toNanos(scenario.measure().warmupS());
      windowEnd = scenario.measure().endS() != null ? Durations.toNanos(scenario.measure().endS()) : horizonNs;
    }
    Map<String, List<Double>> minutes = new java.util.LinkedHashMap<>();
    for (Workload w : scenario.workload()) {
      if (w.podcast() != null) {
        for (String target : w.target()) {
          minutes.put(target, w.podcast().reportMinutes());
        }
      }
    }
    metrics = new RunMetrics(windowStart, windowEnd, scenario.slo(), sinks, minutes);
    metrics.splitByDeployment(scenario.deployments().size());
    metrics.attachClock(engine::now);
    layOut(metrics);
    sampler = new Sampler(sinks.samples(), Durations.toNanos(scenario.outputs().sampleIntervalS()));
    startWorkload(horizonNs);

    double[] windowEnergy = {Double.NaN, Double.NaN};
    if (scenario.measure() != null) {
      recordEnergyAt(windowStart, windowEnergy, 0);
      recordEnergyAt(windowEnd, windowEnergy, 1);
    }
    boolean finished = liveWork == 0;
    try {
      while (!finished && !unstable && stalled == null && engine.now() < deadlineNs) {
        long until = Math.min(deadlineNs, engine.now() + PROGRESS_SLICE_NS);
        engine.runUntil(until);
        finished = liveWork == 0;
        for (Replica r : replicas) {
          if (stalled == null && r.stallReport() != null) {
            stalled = r.stallReport();
          }
        }
        progress.update(engine.now(), deadlineNs, engine.eventsProcessed());
      }
    } catch (TraceDriver.TraceFailure e) {
      throw new SetupException(List.of(new SetupException.Problem("workload", e.getMessage())));
    }
    long endNs = finished ? finishedAtNs : unstable || stalled != null ? engine.now() : deadlineNs;
    RunResult books = closeBooks(endNs, !finished, windowStart, windowEnd, windowEnergy);
    return withSplit(books, groupWindowEnergy, endNs);
  }

  /** Places replicas on GPUs node by node and builds the fleets; {@code listener} null = plan only. */
  private void layOut(RunMetrics listener) throws SetupException {
    List<NodeProfile> nodes = new ArrayList<>();
    List<Integer> firstGpu = new ArrayList<>();
    List<Double> idleW = new ArrayList<>();
    int gpuCount = 0;
    for (NodeGroup g : scenario.cluster().nodes()) {
      NodeProfile node = profiles.node(g.profile());
      double gpuIdle = profiles.gpu(node.gpu()).idleW().value();
      for (int i = 0; i < g.count(); i++) {
        nodes.add(node);
        hostW += node.hostIdleW().value();
        nodeCount++;
        firstGpu.add(gpuCount);
        gpuCount += node.gpusPerNode();
        for (int j = 0; j < node.gpusPerNode(); j++) {
          idleW.add(gpuIdle);
        }
      }
    }
    double[] initial = new double[gpuCount];
    for (int i = 0; i < gpuCount; i++) {
      initial[i] = idleW.get(i);
    }
    int[] usedInNode = new int[nodes.size()];
    int node = 0;
    List<int[]> assignments = new ArrayList<>();
    List<DeploymentPlan> replicaPlans = new ArrayList<>();
    List<Integer> replicaDeployment = new ArrayList<>();
    for (int di = 0; di < scenario.deployments().size(); di++) {
      Deployment d = scenario.deployments().get(di);
      Map<String, DeploymentPlan> byLayout = new HashMap<>();
      int tp = d.parallelism().tp();
      int pp = d.parallelism().pp();
      for (int r = 0; r < d.replicas(); r++) {
        int[] gpus = new int[tp * pp];
        NodeProfile np = null;
        int firstNode = -1;
        boolean acrossNodes = false;
        for (int stage = 0; stage < pp; stage++) {
          while (node < nodes.size() && nodes.get(node).gpusPerNode() - usedInNode[node] < tp) {
            node++;
          }
          if (node == nodes.size()) {
            throw new SetupException(List.of(new SetupException.Problem("deployments[" + di + "].replicas",
                "replica " + (r + 1) + " of " + d.replicas() + " (tp " + tp + " × pp " + pp
                    + ") finds no node with " + tp + " free GPUs for stage " + (stage + 1) + "; the cluster has "
                    + gpuCount + " GPUs; allowed: fewer replicas or more nodes")));
          }
          if (np != null && !nodes.get(node).id().equals(np.id())) {
            throw new SetupException(List.of(new SetupException.Problem("deployments[" + di + "].parallelism.pp",
                "replica " + (r + 1) + " would span node profiles " + np.id() + " and " + nodes.get(node).id()
                    + "; allowed: stages on nodes of one profile")));
          }
          np = nodes.get(node);
          firstNode = firstNode < 0 ? node : firstNode;
          acrossNodes |= node != firstNode;
          for (int k = 0; k < tp; k++) {
            gpus[stage * tp + k] = firstGpu.get(node) + usedInNode[node] + k;
          }
          usedInNode[node] += tp;
        }
        String key = np.id() + (acrossNodes ? "/nic" : "/fabric");
        DeploymentPlan plan = byLayout.get(key);
        if (plan == null) {
          plan = DeploymentPlan.of(di, d, profiles, np, acrossNodes);
          byLayout.put(key, plan);
          if (byLayout.size() == 1) {
            plans.add(plan);
          }
        }
        for (int g : gpus) {
          initial[g] = plan.gpu().activeIdleW().value();
        }
        assignments.add(gpus);
        replicaPlans.add(plan);
        replicaDeployment.add(di);
      }
    }
    if (listener == null) {
      return;
    }
    meters = new GpuMeters(initial);
    int deployments = scenario.deployments().size();
    int[] groupOf = new int[gpuCount];
    java.util.Arrays.fill(groupOf, deployments); // the last group: GPUs no deployment uses
    for (int i = 0; i < assignments.size(); i++) {
      for (int g : assignments.get(i)) {
        groupOf[g] = replicaDeployment.get(i);
      }
    }
    meters.groups(groupOf, deployments + 1);
    this.groupOf = groupOf;
    metrics.attachMeters(meters);
    for (int di = 0; di < scenario.deployments().size(); di++) {
      Deployment d = scenario.deployments().get(di);
      long maxLen = plans.get(di).maxModelLen();
      Fleet fleet = new Fleet(engine, listener, maxLen, d.router().policy(), metrics.windowStartNs(),
          metrics.windowEndNs());
      int fleetIndex = di;
      fleet.onConversationEnded(c -> conversationEnded(fleetIndex, c));
      fleets.add(fleet);
      probeSequences.add(new Long2ObjectOpenHashMap<>());
      closedLoop.add(new Long2ObjectOpenHashMap<>());
    }
    for (int i = 0; i < assignments.size(); i++) {
      DeploymentPlan p = replicaPlans.get(i);
      Deployment d = p.spec();
      Fleet fleet = fleets.get(replicaDeployment.get(i));
      Replica replica = new Replica(replicas.size(), d.name(), engine, p.roofline(), p.kv(),
          dev.tokentherm.serving.policy.BatchPolicies.byName(d.scheduler().policy()),
          dev.tokentherm.serving.policy.AdmissionPolicies.FCFS, dev.tokentherm.serving.policy.PreemptionVictimPolicies.LAST_ADMITTED,
          d.scheduler().maxNumBatchedTokens(), d.scheduler().maxNumSeqs(), d.kv().prefixCaching(),
          assignments.get(i), p.gpu().activeIdleW().value(), meters, listener, fleet,
          dev.tokentherm.kv.EvictionPolicies.byName(d.kv().eviction()), p.stack().freesKvTailFirst(), faults);
      replica.deploymentIndex(replicaDeployment.get(i));
      fleet.addReplica(replica);
      replicas.add(replica);
    }
    for (int di = 0; di < fleets.size(); di++) {
      var admission = scenario.deployments().get(di).admission();
      fleets.get(di).limitAdmission(admission.maxQueue(), admission.queueTimeoutS());
    }
    // each node's host DRAM: the home of swapped-out KV, shared by the replicas on the node
    dev.tokentherm.kv.HostMemory[] hostMemory = new dev.tokentherm.kv.HostMemory[nodes.size()];
    for (int n = 0; n < nodes.size(); n++) {
      hostMemory[n] = new dev.tokentherm.kv.HostMemory(
          (long) (nodes.get(n).hostDramGib().value() * 1024 * 1024 * 1024));
    }
    for (int i = 0; i < replicas.size(); i++) {
      DeploymentPlan p = replicaPlans.get(i);
      var kv = p.spec().kv();
      if (!kv.preemption().equals("none")) {
        int firstGpuOfReplica = assignments.get(i)[0];
        int n = 0;
        while (n + 1 < nodes.size() && firstGpu.get(n + 1) <= firstGpuOfReplica) {
          n++;
        }
        replicas.get(i).enablePreemption(kv.preemption().equals("swap"), p.node().hostLinkGbPerS().value() * 1e9,
            kv.watermark(), hostMemory[n]);
      }
    }
  }

  private void conversationEnded(int fleet, Conversation c) {
    ProbeSequence next = probeSequences.get(fleet).remove(c.id());
    if (next != null) {
      next.startNext(engine.now() + 1); // not into an earlier phase of this instant
    }
    ClosedLoopUser user = closedLoop.get(fleet).remove(c.id());
    if (user != null) {
      user.ended(engine.now());
    }
    workDone();
  }

  private void workDone() {
    liveWork--;
    if (liveWork == 0) {
      finishedAtNs = engine.now();
      engine.stop();
    }
  }

  /** Per fleet, the probe sequence each live probe conversation belongs to. */
  private final List<Long2ObjectOpenHashMap<ProbeSequence>> probeSequences = new ArrayList<>();

  /**
   * The conversation numbers of one workload entry, shared by its copies (one per target): the
   * n-th conversation a copy starts takes the n-th number, drawn from the run's counter by whichever
   * copy gets there first, so every copy lists the same numbers. With one target, the counter itself.
   */
  private final class Numbers {
    private final boolean shared;
    private final it.unimi.dsi.fastutil.longs.LongArrayList ids = new it.unimi.dsi.fastutil.longs.LongArrayList();

    Numbers(int copies) {
      this.shared = copies > 1;
    }

    long get(long n) {
      if (!shared) {
        return nextConversationId++;
      }
      while (ids.size() <= n) {
        ids.add(nextConversationId++);
      }
      return ids.getLong((int) n);
    }
  }

  /** The probes of one workload entry, run one after another. */
  private final class ProbeSequence {
    private final Fleet fleet;
    private final int fleetIndex;
    private final Probe spec;
    private final Numbers numbers;
    private int nextIndex;

    ProbeSequence(int fleetIndex, Probe spec, Numbers numbers) {
      this.fleet = fleets.get(fleetIndex);
      this.fleetIndex = fleetIndex;
      this.spec = spec;
      this.numbers = numbers;
      liveWork++; // until its last probe has started
    }

    void startNext(long atNs) {
      if (nextIndex == spec.contexts().size()) {
        workDone();
        return;
      }
      long id = numbers.get(nextIndex);
      long context = spec.contexts().get(nextIndex++);
      liveWork++;
      probeSequences.get(fleetIndex).put(id, this);
      fleet.startConversation(id, new ProbeScript(spec.promptTokens(), spec.outputTokens()), atNs, context);
    }
  }

  private void startWorkload(long horizonNs) throws SetupException {
    for (int wi = 0; wi < scenario.workload().size(); wi++) {
      Workload w = scenario.workload().get(wi);
      int copies = w.target().size();
      Fleet[] targets = new Fleet[copies];
      int[] targetIndex = new int[copies];
      for (int t = 0; t < copies; t++) {
        targetIndex[t] = fleetIndex(w.target().get(t));
        targets[t] = fleets.get(targetIndex[t]);
      }
      Numbers numbers = new Numbers(copies);
      if (w.trace() != null) {
        for (Fleet fleet : targets) {
          startTrace(w, wi, fleet, numbers);
        }
      } else if (w.probe() != null) {
        for (int fi : targetIndex) {
          new ProbeSequence(fi, w.probe(), numbers).startNext(Durations.toNanos(w.probe().startS()));
        }
      } else if (w.podcast() != null) {
        Podcast p = w.podcast();
        long id = numbers.get(0);
        for (Fleet fleet : targets) {
          PodcastScript script = new PodcastScript(p);
          liveWork++;
          fleet.startConversation(id, script, script.firstArrivalNs());
        }
      } else {
        if (new SyntheticConversations(w.conversations(), scenario.seed(), wi).closedLoop()) {
          it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap byUser = copies > 1
              ? new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap() : null;
          for (int fi : targetIndex) {
            // each copy its own users (their conversations end when its policy serves them), drawing
            // the same streams: a user's k-th conversation is the same in every copy
            SyntheticConversations source = new SyntheticConversations(w.conversations(), scenario.seed(), wi);
            ClosedLoopUsers users = new ClosedLoopUsers(fi, source, horizonNs, wi, byUser);
            for (int u = 0; u < source.users(); u++) {
              new ClosedLoopUser(users, u).start(0);
            }
          }
          continue;
        }
        SyntheticConversations source = new SyntheticConversations(w.conversations(), scenario.seed(), wi);
        if (w.conversations().preAged()) {
          startPreAged(source, targets);
        }
        long first = source.nextGapNs(0);
        if (first <= horizonNs) {
          liveWork++; // the source counts as live work until it stops
          engine.schedule(first, Phase.ARRIVAL, wi, new Starter(targets, source, horizonNs, wi), 0);
        }
      }
    }
  }

  /** The conversations in progress at time 0 (pre_aged), on every target, numbered before the others. */
  private void startPreAged(SyntheticConversations source, Fleet[] targets) {
    for (SyntheticConversations.InProgress p : source.preAged()) {
      long id = nextConversationId++;
      for (int t = 0; t < targets.length; t++) {
        // each copy its own script from the same stream (the draws are the same)
        SyntheticConversations.InProgress copy = t == 0 ? p : source.preAgedCopy(p);
        liveWork++;
        targets[t].startInProgress(id, copy.script(), copy.turnsDone(), copy.historyTokens(), copy.nextArrivalNs(), 0);
      }
    }
  }

  private void startTrace(Workload w, int wi, Fleet fleet, Numbers numbers) throws SetupException {
    TraceDriver.Host host = new TraceDriver.Host() {
      private long started;

      @Override
      public long newConversation() {
        return numbers.get(started++);
      }

      @Override
      public void conversationStarted() {
        liveWork++;
      }

      @Override
      public void sourceDone() {
        workDone();
      }
    };
    try {
      TraceProblems problems = new TraceProblems();
      TraceDriver driver = new TraceDriver(engine, fleet, w.trace(), baseDir, host, wi, problems);
      if (problems.any()) {
        throw traceSetupException(wi, problems);
      }
      liveWork++; // the trace counts as live work until its last record
      if (!driver.start()) {
        liveWork--;
      }
    } catch (dev.tokentherm.workload.trace.TraceException e) {
      throw new SetupException(List.of(new SetupException.Problem("workload[" + wi + "].trace.path", e.getMessage())));
    }
  }

  /**
   * Reads every trace of the scenario as the run's pre-pass would, but any format and past the
   * first bad row: every problem, the first {@link TraceProblems#KEPT} listed, for {@code validate}.
   */
  public static void checkTraces(Scenario scenario, Path baseDir) throws SetupException {
    List<SetupException.Problem> problems = new ArrayList<>();
    long unlisted = 0;
    for (int wi = 0; wi < scenario.workload().size(); wi++) {
      dev.tokentherm.scenario.TraceSpec t = scenario.workload().get(wi).trace();
      if (t == null) {
        continue;
      }
      TraceProblems found = new TraceProblems();
      Path path = baseDir.resolve(t.path());
      try {
        dev.tokentherm.workload.trace.SessionEnds.check(path,
            dev.tokentherm.workload.trace.TraceFormat.valueOf(t.format().toUpperCase(java.util.Locale.ROOT)),
            t.maxRequests() == null ? Long.MAX_VALUE : t.maxRequests(),
            dev.tokentherm.workload.trace.SessionEnds.InputTokens.of(t.inputTokens()), found);
      } catch (dev.tokentherm.workload.trace.TraceException e) {
        found.add(e.getMessage());
      }
      if (found.any()) {
        SetupException e = traceSetupException(wi, found);
        problems.addAll(e.problems());
        unlisted += e.unlisted();
      }
    }
    if (!problems.isEmpty()) {
      throw new SetupException(problems, unlisted);
    }
  }

  private static SetupException traceSetupException(int wi, TraceProblems found) {
    List<SetupException.Problem> list = new ArrayList<>();
    for (String m : found.messages()) {
      list.add(new SetupException.Problem("workload[" + wi + "].trace.path", m));
    }
    return new SetupException(list, found.count() - list.size());
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
  private final class Starter implements EventHandler {
    private final Fleet[] fleets;
    private final SyntheticConversations source;
    private final long horizonNs;
    private final int key;
    private long started;

    Starter(Fleet[] fleets, SyntheticConversations source, long horizonNs, int key) {
      this.fleets = fleets;
      this.source = source;
      this.horizonNs = horizonNs;
      this.key = key;
    }

    @Override
    public void onEvent(Engine e, long arg) {
      long now = e.now();
      long id = nextConversationId++;
      for (Fleet fleet : fleets) {
        liveWork++;
        fleet.startConversation(id, source.script(started), now);
      }
      started++;
      long gap = source.nextGapNs(now);
      Long max = source.maxConversations();
      if (gap <= horizonNs - now && (max == null || started < max)) {
        e.schedule(now + gap, Phase.ARRIVAL, key, this, 0);
      } else {
        workDone(); // the source itself is done
      }
    }
  }

  /** Per fleet, the closed-loop user each live conversation belongs to. */
  private final List<Long2ObjectOpenHashMap<ClosedLoopUser>> closedLoop = new ArrayList<>();

  /** Closed-loop users of one workload entry: what they share (the horizon, the conversation limit). */
  private final class ClosedLoopUsers {
    private final Fleet fleet;
    private final int fleetIndex;
    /** With several targets, the number of each (user, k) conversation, shared by the copies; else null. */
    private final it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap byUser;
    private final SyntheticConversations source;
    private final long horizonNs;
    /** The workload entry's index: with the user, the key that orders simultaneous starts. */
    private final long workload;
    /** Conversations started by all users (for max_conversations). */
    private long started;

    ClosedLoopUsers(int fleetIndex, SyntheticConversations source, long horizonNs, int workload,
        it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap byUser) {
      this.fleet = fleets.get(fleetIndex);
      this.fleetIndex = fleetIndex;
      this.byUser = byUser;
      this.source = source;
      this.horizonNs = horizonNs;
      this.workload = workload;
    }
  }

  /**
   * One closed-loop user: starts a conversation, and when it ends, another one after an idle
   * pause, until the horizon (then the user leaves). The pause and the script of the user's k-th
   * conversation come from streams of their own, indexed by (user, k), so they are the same
   * whatever order the policy ends and starts conversations in.
   */
  private final class ClosedLoopUser implements EventHandler {
    private final ClosedLoopUsers group;
    private final int user;
    /** Conversations this user has started. */
    private long conversations;
    /** The drawn pause before the next conversation, ns (-1 before the first). */
    private long pauseNs = -1;

    ClosedLoopUser(ClosedLoopUsers group, int user) {
      this.group = group;
      this.user = user;
    }

    /** The user starts a conversation at {@code atNs} (counts as live work until the user leaves). */
    void start(long atNs) {
      liveWork++;
      // keyed by (workload, user): simultaneous starts take conversation numbers in user order,
      // also under --shuffle-ties
      engine.schedule(atNs, Phase.ARRIVAL, (group.workload << 32) | user, this, 0);
    }

    @Override
    public void onEvent(Engine e, long arg) {
      long id;
      if (group.byUser == null) {
        id = nextConversationId++;
      } else {
        long key = ((long) user << 32) | conversations;
        id = group.byUser.getOrDefault(key, -1L);
        if (id < 0) {
          id = nextConversationId++;
          group.byUser.put(key, id);
        }
      }
      closedLoop.get(group.fleetIndex).put(id, this);
      liveWork++;
      group.fleet.startConversation(id, group.source.userScript(user, conversations++, pauseNs), e.now());
      group.started++;
      workDone(); // the pending start is now a live conversation
    }

    /** The user's conversation ended: the next one after a pause, or the user leaves. */
    void ended(long nowNs) {
      pauseNs = group.source.userIdleNs(user, conversations - 1);
      long next = nowNs + Math.max(1, pauseNs);
      Long max = group.source.maxConversations();
      if (next <= group.horizonNs && (max == null || group.started < max)) {
        start(next);
      }
    }
  }

  private Sampler sampler;
  private boolean unstable;
  private String unstableReason;
  private final SteadyStateCheck steadyState = new SteadyStateCheck();
  /** The oldest waiting request's age above which a wait growing minute over minute is starvation. */
  private static final long STARVED_WAIT_NS = 120_000_000_000L;

  /** The last four minute samples rise strictly (three minutes of growth). */
  private static boolean growsMinuteOverMinute(it.unimi.dsi.fastutil.longs.LongArrayList byMinute) {
    int n = byMinute.size();
    return n >= 4 && byMinute.getLong(n - 1) > byMinute.getLong(n - 2) && byMinute.getLong(n - 2) > byMinute.getLong(n - 3)
        && byMinute.getLong(n - 3) > byMinute.getLong(n - 4);
  }

  /**
   * Samples each deployment's running and waiting requests and KV occupancy every sample interval,
   * and watches for overload: the run stops as {@code unstable} when the waiting requests of the
   * whole fleet have grown minute over minute for three minutes and exceed twice the fleet's
   * max_num_seqs — a queue that grows without bound — or when the longest wait of any request
   * still without its first token has grown minute over minute for three minutes and exceeds two
   * minutes — starvation, however short the queue. Its samples also feed the window's steady-state check.
   */
  private final class Sampler implements EventHandler {
    private final SampleSink sink;
    private final long intervalNs;
    private final long minuteSamples;
    private final it.unimi.dsi.fastutil.longs.LongArrayList waitingByMinute = new it.unimi.dsi.fastutil.longs.LongArrayList();
    private final it.unimi.dsi.fastutil.longs.LongArrayList oldestWaitByMinute = new it.unimi.dsi.fastutil.longs.LongArrayList();
    private long samples;
    private long fleetSeqs;

    Sampler(SampleSink sink, long intervalNs) {
      this.sink = sink;
      this.intervalNs = intervalNs;
      this.minuteSamples = Math.max(1, 60_000_000_000L / intervalNs);
      for (int di = 0; di < scenario.deployments().size(); di++) {
        Deployment d = scenario.deployments().get(di);
        fleetSeqs += (long) d.replicas() * d.scheduler().maxNumSeqs();
      }
      engine.schedule(intervalNs, Phase.SAMPLE, 0, this, 0);
    }

    private double[] lastEnergyJ;

    /** Each GPU's energy-averaged power over the interval and the HBM it holds. */
    private void devices(long now) throws java.io.IOException {
      if (lastEnergyJ == null) {
        lastEnergyJ = new double[meters.gpus()];
      }
      double seconds = intervalNs * 1e-9;
      for (Replica r : replicas) {
        var kv = r.capacity();
        double hbm = kv.weightsBytes() + kv.activationPeakBytes() + kv.reserveBytes()
            + r.blocks().live() * kv.blockBytes();
        for (int g : r.gpus()) {
          double energy = meters.energyJ(g, now);
          sink.device(now * 1e-9, g, r.deployment(), (energy - lastEnergyJ[g]) / seconds, hbm / (1024.0 * 1024 * 1024));
          lastEnergyJ[g] = energy;
        }
      }
      unusedDevices(sink, now, seconds, lastEnergyJ);
    }

    @Override
    public void onEvent(Engine e, long arg) {
      try {
        devices(e.now());
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
      long waitingAll = 0;
      long usedAll = 0;
      long blocksAll = 0;
      for (Fleet f : fleets) {
        int running = 0;
        int waiting = 0;
        long used = 0;
        long blocks = 0;
        for (Replica r : f.replicas()) {
          running += r.runningRequests();
          waiting += r.waitingRequests();
          used += r.blocks().live();
          blocks += r.blocks().capacity();
        }
        waitingAll += waiting;
        usedAll += used;
        blocksAll += blocks;
        try {
          sink.sample(e.now() * 1e-9, f.replicas().get(0).deployment(), running, waiting, used, blocks);
        } catch (java.io.IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      }
      for (Replica r : replicas) {
        if (r.livelocked()) { // preemption made no progress: report it instead of spinning
          unstable = true;
          unstableReason = "deployment " + r.deployment() + " replica " + r.index()
              + ": preemption livelock (every decode step preempted for 2,000 steps)";
          e.stop();
          return;
        }
      }
      long evicted = 0;
      long oldestWaitNs = 0;
      for (Replica r : replicas) {
        evicted += r.kvMemory().blocksEvicted();
        long since = r.oldestUnservedArrivalNs();
        if (since >= 0) {
          oldestWaitNs = Math.max(oldestWaitNs, e.now() - since);
        }
      }
      steadyState.sample(e.now(), waitingAll, usedAll, blocksAll, evicted, metrics.runRequestsArrived,
          metrics.runRequestsCompleted);
      if (++samples % minuteSamples == 0) {
        oldestWaitByMinute.add(oldestWaitNs);
        if (growsMinuteOverMinute(oldestWaitByMinute) && oldestWaitNs > STARVED_WAIT_NS) {
          unstable = true; // a request has waited longer every minute for its first token: starved
          unstableReason = String.format(java.util.Locale.ROOT, "starved: the longest wait for a first token grew"
              + " minute over minute for three minutes, to %.0f s", oldestWaitNs * 1e-9);
          e.stop();
          return;
        }
        waitingByMinute.add(waitingAll);
        if (waitingAll > 2 * fleetSeqs && growsMinuteOverMinute(waitingByMinute)) {
          unstable = true;
          unstableReason = "overloaded: the waiting requests grew minute over minute for three minutes, to "
              + waitingAll + " (more than twice the fleet's max_num_seqs, " + fleetSeqs + ")";
          e.stop();
          return;
        }
      }
      if (liveWork > 0) {
        e.schedule(e.now() + intervalNs, Phase.SAMPLE, 0, this, 0);
      }
    }
  }

  /** The run's books with the window's GPU energy split by deployment (over the same window as the cluster's). */
  private RunResult withSplit(RunResult r, double[][] groupWindowEnergy, long endNs) {
    int groups = meters.groupCount();
    double[] windowJ = new double[groups];
    double[] start;
    double[] end;
    if (scenario.measure() != null) {
      double[] atEnd = new double[groups];
      meters.groupEnergiesJ(endNs, atEnd);
      start = groupWindowEnergy[0] != null ? groupWindowEnergy[0] : atEnd;
      end = groupWindowEnergy[1] != null ? groupWindowEnergy[1] : atEnd;
    } else {
      start = metrics.groupEnergyAtFirstArrivalJ != null ? metrics.groupEnergyAtFirstArrivalJ : new double[groups];
      end = metrics.groupEnergyAtLastCompletionJ;
    }
    for (int i = 0; i < groups; i++) {
      windowJ[i] = end[i] - start[i];
    }
    int[] gpus = new int[groups];
    for (int g : groupOf) {
      gpus[g]++;
    }
    RunResult.EnergySplit split = new RunResult.EnergySplit(windowJ, gpus, hostW, nodeCount);
    return new RunResult(r.name(), r.seed(), r.endNs(), r.cutShort(), r.unstable(), r.events(),
        r.windowStartNs(), r.windowEndNs(), r.windowEnergyJ(), r.gpuEnergyJ(), r.gpuPeakW(),
        r.idleUnattributedJ(), r.idleTotalJ(), r.metrics(), r.plans(), r.kvBlocksAllocated(),
        r.kvBlocksFreed(), r.kvBlocksLive(), r.kvBlocksPeak(), r.evictions(), r.prefixHitTokens(),
        r.prefixLookupTokens(), r.prefixLiveBlocks(), r.prefixPinnedBlocks(), r.stalled(), r.books(),
        r.steadyState(), r.unstableReason(), split);
  }

  /** devices.csv rows of the GPUs no deployment uses (deployment {@code unused}, no HBM held). */
  private void unusedDevices(SampleSink sink, long now, double seconds, double[] lastEnergyJ) throws java.io.IOException {
    int unused = scenario.deployments().size();
    for (int g = 0; g < groupOf.length; g++) {
      if (groupOf[g] == unused) {
        double energy = meters.energyJ(g, now);
        sink.device(now * 1e-9, g, "unused", (energy - lastEnergyJ[g]) / seconds, 0);
        lastEnergyJ[g] = energy;
      }
    }
  }

  /** Records the cluster GPU energy at {@code atNs} (a window boundary) into {@code into[slot]}. */
  private void recordEnergyAt(long atNs, double[] into, int slot) {
    engine.schedule(atNs, Phase.SAMPLE, slot, (e, arg) -> {
      into[slot] = meters.totalEnergyJ(e.now());
      groupWindowEnergy[slot] = new double[meters.groupCount()]; // and each deployment's, at the same instant
      meters.groupEnergiesJ(e.now(), groupWindowEnergy[slot]);
    }, 0);
  }

  private RunResult closeBooks(long endNs, boolean cut, long windowStart, long windowEnd,
      double[] windowEnergy) {
    double cutJ = 0;
    for (Fleet f : fleets) {
      cutJ += f.flush(endNs, metrics::inFlight, metrics::liveConversation);
    }
    double[] energy = new double[meters.gpus()];
    double[] peak = new double[meters.gpus()];
    for (int g = 0; g < energy.length; g++) {
      energy[g] = meters.energyJ(g, endNs);
      peak[g] = meters.peakW(g);
    }
    double unattributed = cutJ;
    double idleTotal = 0;
    long allocated = 0;
    long freed = 0;
    long live = 0;
    long peakBlocks = 0;
    long evictions = 0;
    long prefixHits = 0;
    long prefixLookups = 0;
    long prefixLive = 0;
    long prefixPinned = 0;
    boolean[] inReplica = new boolean[energy.length];
    for (Replica r : replicas) {
      unattributed += r.idleLedger().unattributedJ();
      idleTotal += r.idleLedger().unattributedJ() + r.idleLedger().attributedJ();
      allocated += r.blocks().allocatedTotal();
      freed += r.blocks().freedTotal();
      live += r.blocks().live();
      peakBlocks += r.blocks().peakLive();
      evictions += r.evictions();
      prefixHits += r.prefixHitTokens();
      prefixLookups += r.prefixLookupTokens();
      prefixLive += r.prefixLiveBlocks();
      prefixPinned += r.prefixPinnedBlocks();
      for (int g : r.gpus()) {
        inReplica[g] = true;
      }
    }
    for (int g = 0; g < energy.length; g++) {
      if (!inReplica[g]) {
        unattributed += energy[g];
        idleTotal += energy[g];
      }
    }
    long ws;
    long we;
    double windowJ;
    if (scenario.measure() != null) {
      ws = Math.min(windowStart, endNs);
      we = Math.min(windowEnd, endNs);
      double startJ = Double.isNaN(windowEnergy[0]) ? meters.totalEnergyJ(endNs) : windowEnergy[0];
      double endJ = Double.isNaN(windowEnergy[1]) ? meters.totalEnergyJ(endNs) : windowEnergy[1];
      windowJ = endJ - startJ;
    } else {
      ws = Math.max(0, metrics.firstArrivalNs);
      we = Math.max(ws, metrics.lastCompletionNs);
      windowJ = metrics.energyAtLastCompletionJ - metrics.energyAtFirstArrivalJ;
    }
    List<RunResult.DeploymentBooks> books = new ArrayList<>();
    for (Fleet f : fleets) {
      Fleet.Books fb = f.books();
      List<RunResult.ReplicaBooks> rb = new ArrayList<>();
      for (int i = 0; i < f.replicas().size(); i++) {
        Replica r = f.replicas().get(i);
        rb.add(new RunResult.ReplicaBooks(r.index(), fb.segmentBlocks()[i], r.books()));
      }
      books.add(new RunResult.DeploymentBooks(f.replicas().get(0).deployment(), fb, rb));
    }
    return new RunResult(scenario.name(), scenario.seed(), endNs, cut, unstable, engine.eventsProcessed(), ws, we,
        windowJ, energy, peak, unattributed, idleTotal, metrics, plans, allocated, freed, live,
        peakBlocks, evictions, prefixHits, prefixLookups, prefixLive, prefixPinned, stalled, books,
        steadyState.verdict(ws, we), unstableReason, null);
  }
}
