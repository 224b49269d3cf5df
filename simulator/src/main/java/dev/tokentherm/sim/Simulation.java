package dev.tokentherm.sim;

import dev.tokentherm.engine.Durations;
import dev.tokentherm.engine.Engine;
import dev.tokentherm.metrics.RunMetrics;
import dev.tokentherm.metrics.RunSinks;
import dev.tokentherm.metrics.TurnSink;
import dev.tokentherm.kv.HostMemory;
import dev.tokentherm.power.GpuDevices;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.power.ReplicaGpus;
import dev.tokentherm.power.ClockGovernor;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.Workload;
import dev.tokentherm.serving.Faults;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.serving.Fleets;
import dev.tokentherm.serving.Replica;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a scenario, as a library call: no console output, no exit, no static state. Builds
 * the cluster and deployments ({@link #plan}, {@code layOut}), runs the engine until no work is left
 * or the drain limit, and closes the energy books. The other jobs have rooms of their own: the
 * workload's starts ({@link WorkloadStarter}, {@link TraceSetup}), sampling ({@link Sampler}),
 * overload detection ({@link OverloadDetector}) and the window's energy ({@link WindowEnergy}).
 */
public final class Simulation {
  /** Simulated time between progress reports. */
  private static final long PROGRESS_SLICE_NS = 60_000_000_000L;

  private final Scenario scenario;
  private final ResolvedProfiles profiles;
  private final Engine engine;
  private final List<Fleet> fleets = new ArrayList<>();
  private final List<DeploymentPlan> plans = new ArrayList<>();
  private final List<Replica> replicas = new ArrayList<>();
  private GpuDevices devices;
  private GpuMeters meters;
  /** Each GPU's deployment number, or the deployment count for a GPU no deployment uses. */
  private int[] groupOf;
  /** The nodes' host power besides their GPUs (host_idle_w summed), W. */
  private double hostW;
  private int nodeCount;
  private RunMetrics metrics;
  private final LiveWork liveWork;
  /** Starts the workload; told of every conversation's end (null until the fleets are laid out). */
  private WorkloadStarter workload;
  private WindowEnergy windowEnergy;
  private CoolingTicks cooling;
  /** The KV tiers below HBM (null: none, an HBM-only run). */
  private dev.tokentherm.kv.tier.KvTiers tiers;
  private OverloadDetector overload;
  /** The run's links (net.Network): swap's copies move over them. */
  private dev.tokentherm.net.Links links;
  private LinkSampler linkSampler;
  private final SteadyStateCheck steadyState = new SteadyStateCheck();

  /** The folder paths in the scenario (trace files) resolve against: the scenario file's. */
  private Path baseDir = Path.of("");
  /** Test-only faults that break a conservation law on purpose (none in a real run). */
  private Faults faults = Faults.NONE;
  /** Why a replica stalled (the run stopped), or null. */
  private String stalled;
  /** The named policies the scenario's names are looked up in. */
  private PolicyRegistry policies = PolicyRegistry.standard();

  private Simulation(Scenario scenario, ResolvedProfiles profiles, Long tieShuffleSeed) {
    this.scenario = scenario;
    this.profiles = profiles;
    this.engine = tieShuffleSeed == null ? new Engine() : new Engine(tieShuffleSeed);
    this.liveWork = new LiveWork(engine);
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

  /**
   * The general form of {@link #run}: the scenario's policy names looked up in {@code policies}
   * (the standard registry, or one with policies added by {@link PolicyRegistry#with}), test-only
   * {@code faults} injected ({@code Faults.NONE} in a real run), and, when {@code tieShuffleSeed}
   * is not null, the order-free ties shuffled (debug).
   */
  public static RunResult run(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks, Progress progress,
      Path baseDir, PolicyRegistry policies, Faults faults, Long tieShuffleSeed)
      throws SetupException {
    Simulation s = new Simulation(scenario, profiles, tieShuffleSeed);
    s.baseDir = baseDir;
    s.policies = policies;
    s.faults = faults;
    return s.execute(sinks, progress);
  }

  /** As {@link #run}, with test-only faults injected (to see the conservation checks fail). */
  public static RunResult runWithFaults(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks, Progress progress,
      Path baseDir, Faults faults) throws SetupException {
    return run(scenario, profiles, sinks, progress, baseDir, PolicyRegistry.standard(), faults, null);
  }

  /** Debug: the same run with order-free ties shuffled (every summary must stay the same). */
  public static RunResult runWithShuffledTies(Scenario scenario, ResolvedProfiles profiles, TurnSink turns,
      long shuffleSeed, Path baseDir) throws SetupException {
    return runWithShuffledTies(scenario, profiles, RunSinks.turnsOnly(turns), shuffleSeed, baseDir);
  }

  /** As above, streaming every output to {@code sinks}. */
  public static RunResult runWithShuffledTies(Scenario scenario, ResolvedProfiles profiles, RunSinks sinks,
      long shuffleSeed, Path baseDir) throws SetupException {
    return run(scenario, profiles, sinks, Progress.NONE, baseDir, PolicyRegistry.standard(),
        Faults.NONE, shuffleSeed);
  }

  /** Resolves every deployment against the profiles without running (validation, capacity). */
  public static List<DeploymentPlan> plan(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    Simulation s = new Simulation(scenario, profiles, null);
    s.layOut(null, null);
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
    layOut(metrics, sinks.timeline());
    sinks.timeline().start(replicas, devices, engine::now);
    long sampleIntervalNs = Durations.toNanos(scenario.outputs().sampleIntervalS());
    overload = new OverloadDetector(scenario, replicas, sampleIntervalNs);
    Sampler sampler = new Sampler(engine, sinks.timeline().alongside(sinks.samples()), sampleIntervalNs, devices,
        fleets, replicas, groupOf, metrics, steadyState, overload, liveWork, cooling).tiers(tiers); // first sample before the workload's first
    if (tiers != null || scenario.outputs().linksCsv()) { // links.csv's rows, summary.json's links block
      linkSampler = new LinkSampler(links.network(), scenario.outputs().linksCsv() ? sinks.samples() : null,
          sampleIntervalNs);
      sampler.sampleLinks(linkSampler);
    }
    if (cooling != null) {
      cooling.start(engine, meters, liveWork, scenario.cluster().events());
      cooling.watchShutdown(replicas);
    }
    workload = new WorkloadStarter(scenario, engine, fleets, baseDir, liveWork);
    workload.start(horizonNs);

    windowEnergy = new WindowEnergy(engine, meters);
    if (scenario.measure() != null) {
      windowEnergy.recordAt(windowStart, 0);
      windowEnergy.recordAt(windowEnd, 1);
    }
    boolean finished = liveWork.none();
    try {
      while (!finished && !overload.unstable() && stalled == null && engine.now() < deadlineNs) {
        long until = Math.min(deadlineNs, engine.now() + PROGRESS_SLICE_NS);
        engine.runUntil(until);
        finished = liveWork.none();
        for (Replica r : replicas) {
          if (stalled == null && r.stallReport() != null) {
            stalled = r.stallReport();
          }
        }
        progress.update(engine.now(), deadlineNs, engine.eventsProcessed());
      }
    } catch (TraceDriver.TraceFailure e) {
      throw TraceSetup.midRun(e);
    }
    long endNs = finished ? liveWork.finishedAtNs() : overload.unstable() || stalled != null ? engine.now() : deadlineNs;
    return closeBooks(endNs, !finished, windowStart, windowEnd);
  }

  /** Places replicas on GPUs ({@link Placement}) and builds the fleets; {@code listener} null = plan only. */
  private void layOut(RunMetrics listener, dev.tokentherm.metrics.TimelineSink timeline) throws SetupException {
    Placement placement = Placement.of(scenario, profiles);
    plans.addAll(placement.plans);
    hostW = placement.hostW;
    nodeCount = placement.nodes.size();
    List<int[]> assignments = placement.gpusOfReplica;
    List<DeploymentPlan> replicaPlans = placement.replicaPlans;
    List<Integer> replicaDeployment = placement.replicaDeployment;
    int gpuCount = placement.gpuCount();
    if (listener == null) {
      return;
    }
    dev.tokentherm.serving.ServingListener served = timeline.alongside(listener); // the timeline hears it too
    cooling = CoolingTicks.of(scenario, placement, profiles); // null: cooling none, no temperatures
    links = NetworkLayout.build(engine, placement, faults.loseLinkBytes());
    devices = new GpuDevices(placement.initialPowerW, cooling == null ? null : cooling.rc());
    meters = devices.meters();
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
    Fleets allFleets = new Fleets();
    for (int di = 0; di < scenario.deployments().size(); di++) {
      Deployment d = scenario.deployments().get(di);
      long maxLen = plans.get(di).maxModelLen();
      Fleet fleet = new Fleet(engine, served, maxLen, policies.router(d.router().policy()), allFleets,
          metrics.windowStartNs(), metrics.windowEndNs());
      int fleetIndex = di;
      fleet.onConversationEnded(c -> workload.conversationEnded(fleetIndex, c));
      fleets.add(fleet);
    }
    for (int i = 0; i < assignments.size(); i++) {
      DeploymentPlan p = replicaPlans.get(i);
      Deployment d = p.spec();
      Fleet fleet = fleets.get(replicaDeployment.get(i));
      ReplicaGpus gpus = new ReplicaGpus(devices.devices(assignments.get(i)), d.parallelism().pp(),
          Governors.of(policies, scenario.slo(), d, p.gpu()).rackBudget(placement.budgetShareW(assignments.get(i))));
      Replica replica = new Replica(replicas.size(), d.name(), engine, p.roofline(), p.kv(),
          policies.batchPolicy(d.scheduler().policy()),
          policies.admission(d.admission().policy()), policies.preemptionVictim(d.kv().preemptionVictim()),
          d.scheduler().maxNumBatchedTokens(), d.scheduler().maxNumSeqs(), d.kv().prefixCaching(),
          gpus, served, fleet,
          policies.eviction(d.kv().eviction()), p.stack().freesKvTailFirst() && !scenario.cluster().kvTiers().any(),
          faults); // with tiers a segment is evicted whole: its copy moves down a tier
      replica.deploymentIndex(replicaDeployment.get(i));
      fleet.addReplica(replica);
      replicas.add(replica);
    }
    if (faults.skipMeterChange() && !assignments.isEmpty()) {
      devices.device(assignments.get(0)[0]).skipNextMeterChange();
    }
    for (int di = 0; di < fleets.size(); di++) {
      var admission = scenario.deployments().get(di).admission();
      fleets.get(di).limitAdmission(admission.maxQueue(), admission.queueTimeoutS());
    }
    // each node's host DRAM: the home of swapped-out KV, shared by the replicas on the node
    HostMemory[] hostMemory = new HostMemory[nodeCount];
    for (int n = 0; n < nodeCount; n++) {
      hostMemory[n] = new HostMemory((long) (placement.nodes.get(n).hostDramGib().value() * 1024 * 1024 * 1024));
    }
    for (int i = 0; i < replicas.size(); i++) {
      DeploymentPlan p = replicaPlans.get(i);
      var kv = p.spec().kv();
      if (!kv.preemption().equals("none")) {
        replicas.get(i).enablePreemption(kv.preemption().equals("swap"), links.network(),
            NetworkLayout.swapRoutes(links, assignments.get(i)), kv.watermark(),
            hostMemory[placement.nodeOf(assignments.get(i)[0])]);
      }
    }
    tiers = TierSetup.attach(scenario.cluster().kvTiers(), scenario.cluster().fabric(), placement, hostMemory,
        replicas, links, engine, policies, faults);
  }

  private RunResult closeBooks(long endNs, boolean cut, long windowStart, long windowEnd) {
    // unattributed energy by deployment (the last entry: GPUs no deployment uses), for the energy law
    double[] unattributedBy = new double[fleets.size() + 1];
    double cutJ = 0;
    for (int d = 0; d < fleets.size(); d++) {
      double inFlightJ = fleets.get(d).flush(endNs, metrics::inFlight, metrics::liveConversation);
      unattributedBy[d] += inFlightJ;
      cutJ += inFlightJ;
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
    int[] replicaOf = new int[energy.length];
    java.util.Arrays.fill(replicaOf, -1);
    for (Replica r : replicas) {
      unattributed += r.idleLedger().unattributedJ();
      unattributedBy[r.deploymentIndex()] += r.idleLedger().unattributedJ();
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
        replicaOf[g] = r.index();
      }
    }
    for (int g = 0; g < energy.length; g++) {
      if (!inReplica[g]) {
        unattributed += energy[g];
        idleTotal += energy[g];
        unattributedBy[fleets.size()] += energy[g];
      }
    }
    long ws;
    long we;
    double windowJ;
    if (scenario.measure() != null) {
      ws = Math.min(windowStart, endNs);
      we = Math.min(windowEnd, endNs);
      windowJ = windowEnergy.clusterJ(1, endNs) - windowEnergy.clusterJ(0, endNs);
    } else {
      ws = Math.max(0, metrics.activity().firstArrivalNs());
      we = Math.max(ws, metrics.activity().lastCompletionNs());
      windowJ = metrics.activity().energyAtLastCompletionJ() - metrics.activity().energyAtFirstArrivalJ();
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
    // the window's GPU energy by deployment, over the same window as the cluster's
    RunResult.EnergySplit split = windowEnergy.split(scenario.measure() != null, metrics, endNs, groupOf, hostW,
        nodeCount, cooling == null ? 0 : cooling.loop().fanEnergyJ(we) - cooling.loop().fanEnergyJ(ws));
    return new RunResult(scenario.name(), scenario.seed(), endNs, cut, overload.unstable(), engine.eventsProcessed(),
        ws, we, windowJ, energy, peak, unattributed, idleTotal, metrics, plans, allocated, freed, live,
        peakBlocks, evictions, prefixHits, prefixLookups, prefixLive, prefixPinned, stalled, books,
        steadyState.verdict(ws, we), overload.reason(), split, gpuBooks(endNs, replicaOf, unattributedBy),
        links.network().books(endNs), tiers, linkSampler == null ? null : linkSampler.classes(endNs));
  }

  /** Each GPU's energy from the power change log, its highest 1 s average power and die temperature, and who holds it. */
  private RunResult.GpuBooks gpuBooks(long endNs, int[] replicaOf, double[] unattributedBy) {
    double[] loggedJ = new double[devices.count()];
    double[] peakSecondW = new double[devices.count()];
    double[] peakC = new double[devices.count()];
    for (int g = 0; g < loggedJ.length; g++) {
      loggedJ[g] = devices.log().energyJ(g, endNs);
      peakSecondW[g] = devices.peaks().peakW(g, endNs);
      peakC[g] = cooling == null ? Double.NaN : devices.thermal().peakC(g, endNs);
    }
    double unmet = 0;
    double[] throttled = new double[4]; // sw_thermal_slowdown, hw_slowdown, sw_power_cap, rack_power_budget
    for (Replica r : replicas) {
      unmet += r.capUnmetS();
      throttled[0] += r.throttledS(ClockGovernor.SW_THERMAL_SLOWDOWN);
      throttled[1] += r.throttledS(ClockGovernor.HW_SLOWDOWN);
      throttled[2] += r.throttledS(ClockGovernor.SW_POWER_CAP);
      throttled[3] += r.throttledS(ClockGovernor.RACK_POWER_BUDGET);
    }
    return new RunResult.GpuBooks(loggedJ, peakSecondW, replicaOf, groupOf.clone(), unattributedBy, peakC, unmet,
        throttled, cooling == null ? null : cooling.books(devices.firstThrottle()));
  }
}
