package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.power.FirstThrottle;
import dev.tokentherm.power.GpuMeters;
import dev.tokentherm.scenario.ClusterEvent;
import dev.tokentherm.scenario.Racks;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.thermal.CoolingLoop;
import dev.tokentherm.thermal.FanCurve;
import dev.tokentherm.thermal.RcModel;
import dev.tokentherm.thermal.SupplyAir;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's cooling in the run: builds the {@link CoolingLoop} from the scenario's racks and
 * the node and GPU profiles, steps it every {@code cluster.racks.control_interval_s} (each rack's
 * GPU power over the interval read from the meters) and fires the scenario's fan failures. Null
 * from {@link #of} when {@code cooling: none}: no thermal model at all.
 */
final class CoolingTicks implements EventHandler {
  private final CoolingLoop loop;
  private final int[] rackOfGpu;
  private final int[] nodeOfGpu;
  private final int racks;
  private final long intervalNs;
  private GpuMeters meters;
  private LiveWork work;
  private double[] lastGpuJ;
  private double[] rackGpuW;
  private long lastNs;
  /** Each GPU's replica (null: none) and shutdown threshold, °C: a step switches off a replica whose GPU passed it. */
  private Replica[] replicaOf;
  private final double[] shutdownC;

  private CoolingTicks(CoolingLoop loop, int[] rackOfGpu, int[] nodeOfGpu, double[] shutdownC, int racks,
      long intervalNs) {
    this.loop = loop;
    this.shutdownC = shutdownC;
    this.nodeOfGpu = nodeOfGpu;
    this.rackOfGpu = rackOfGpu;
    this.racks = racks;
    this.intervalNs = intervalNs;
  }

  /** The cooling of {@code placement}'s nodes and its thermal model started at the GPUs' initial power, or null for none. */
  static CoolingTicks of(Scenario scenario, Placement placement, ResolvedProfiles profiles) throws SetupException {
    Racks spec = scenario.cluster().racks();
    if (spec.cooling().equals("none")) {
      return null;
    }
    boolean liquid = spec.cooling().equals("liquid");
    List<SetupException.Problem> problems = new ArrayList<>();
    int nodeCount = placement.nodes.size();
    CoolingLoop.Node[] nodes = new CoolingLoop.Node[nodeCount];
    CoolingLoop.Gpu[] gpus = new CoolingLoop.Gpu[placement.gpuCount()];
    int[] rackOfGpu = new int[gpus.length];
    int[] nodeOfGpu = new int[gpus.length];
    double[] shutdownC = new double[gpus.length];
    int racks = (nodeCount + spec.nodesPerRack() - 1) / spec.nodesPerRack();
    for (int n = 0; n < nodeCount; n++) {
      NodeProfile node = placement.nodes.get(n);
      GpuProfile.Thermal t = profiles.gpu(node.gpu()).thermal();
      NodeProfile.Fans fans = node.fans();
      String gpuFile = "hardware-profiles/gpus/" + node.gpu() + ".yaml";
      if (liquid && (t.junctionToCaseCPerW() == null || t.coldPlateCPerW() == null)) {
        problems.add(new SetupException.Problem("cluster.racks.cooling", "liquid needs thermal.junction_to_case_c_per_w"
            + " and thermal.cold_plate_c_per_w in " + gpuFile + "; allowed: air, or a GPU profile with both"));
      } else if (!liquid && fans != null && (t.junctionToCaseCPerW() == null || t.airflowExponent() == null)) {
        problems.add(new SetupException.Problem("cluster.nodes", "node profile " + node.id() + " has fans whose speed"
            + " changes, which needs thermal.junction_to_case_c_per_w and thermal.airflow_exponent in " + gpuFile));
      }
      if (!problems.isEmpty()) {
        break;
      }
      int rack = n / spec.nodesPerRack();
      FanCurve curve = fans == null ? null
          : new FanCurve(fans.minSpeed().value(), fans.rampStartC().value(), fans.fullSpeedC().value());
      int first = placement.firstGpu(n);
      nodes[n] = new CoolingLoop.Node(rack, first, node.gpusPerNode(), curve, fans == null ? 1 : fans.count(),
          fans == null ? 0 : fans.maxW().value(), node.hostIdleW().value());
      double jc = t.junctionToCaseCPerW() == null ? 0 : t.junctionToCaseCPerW().value();
      double liquidR = liquid ? jc + t.coldPlateCPerW().value() : Double.NaN;
      for (int g = first; g < first + node.gpusPerNode(); g++) {
        gpus[g] = new CoolingLoop.Gpu(t.resistanceCPerW().value(), jc,
            t.airflowExponent() == null ? 1 : t.airflowExponent().value(), liquidR);
        rackOfGpu[g] = rack;
        nodeOfGpu[g] = n;
        shutdownC[g] = t.shutdownC().value();
      }
    }
    List<ClusterEvent> events = scenario.cluster().events() == null ? List.of() : scenario.cluster().events();
    for (int i = 0; i < events.size() && problems.isEmpty(); i++) {
      ClusterEvent e = events.get(i);
      if (e.node() >= nodeCount) {
        problems.add(new SetupException.Problem("cluster.events[" + i + "].node", "is " + e.node() + "; allowed: 0 to "
            + (nodeCount - 1) + " (the cluster has " + nodeCount + (nodeCount == 1 ? " node)" : " nodes)")));
      } else if (placement.nodes.get(e.node()).fans() == null && !liquid) {
        problems.add(new SetupException.Problem("cluster.events[" + i + "].node", "node " + e.node() + " ("
            + placement.nodes.get(e.node()).id() + ") has no fans block in its profile; allowed: a node whose profile has fans"));
      }
    }
    if (!problems.isEmpty()) {
      throw new SetupException(problems);
    }
    CoolingLoop loop = new CoolingLoop(liquid, nodes, gpus, racks, supply(spec), spec.recirculationCPerKw(),
        spec.coolantC());
    loop.start(placement.initialPowerW, placement.capacityJPerC);
    return new CoolingTicks(loop, rackOfGpu, nodeOfGpu, shutdownC, racks, Math.round(spec.controlIntervalS() * 1e9));
  }

  private static SupplyAir supply(Racks spec) {
    if (spec.inletCurve() == null) {
      return SupplyAir.constant(spec.inletC());
    }
    int n = spec.inletCurve().size();
    double[] at = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      at[i] = spec.inletCurve().get(i).atS();
      c[i] = spec.inletCurve().get(i).inletC();
    }
    return new SupplyAir(at, c);
  }

  /** Schedules the first step one interval in, and the scenario's fan failures. */
  void start(Engine engine, GpuMeters meters, LiveWork work, List<ClusterEvent> events) {
    this.meters = meters;
    this.work = work;
    this.lastGpuJ = new double[rackOfGpu.length];
    this.rackGpuW = new double[racks];
    if (!loop.liquid()) {
      engine.schedule(intervalNs, Phase.STATE, 0, this, 0);
    }
    for (ClusterEvent e : events == null ? List.<ClusterEvent>of() : events) {
      engine.schedule(Math.round(e.atS() * 1e9), Phase.STATE, 0, (eng, arg) -> loop.failFans(e.node(), e.fans(),
          eng.now()), 0);
    }
  }

  @Override
  public void onEvent(Engine e, long arg) {
    long now = e.now();
    java.util.Arrays.fill(rackGpuW, 0);
    double seconds = (now - lastNs) * 1e-9;
    for (int g = 0; g < rackOfGpu.length; g++) {
      double j = meters.energyJ(g, now);
      rackGpuW[rackOfGpu[g]] += (j - lastGpuJ[g]) / seconds;
      lastGpuJ[g] = j;
    }
    lastNs = now;
    loop.step(now, rackGpuW);
    shutDownOverheated(now);
    if (work.any()) {
      e.schedule(now + intervalNs, Phase.STATE, 0, this, 0);
    }
  }

  /**
   * Watches for shutdown: from now on each step switches off the replica of any GPU at or above its
   * profile's {@code thermal.shutdown_c}, idle or not (an iteration start checks it too:
   * power.ClockGovernor).
   */
  void watchShutdown(List<Replica> replicas) {
    this.replicaOf = new Replica[rackOfGpu.length];
    for (Replica r : replicas) {
      for (int g : r.gpus()) {
        replicaOf[g] = r;
      }
    }
  }

  private void shutDownOverheated(long now) {
    if (replicaOf == null) {
      return;
    }
    RcModel rc = loop.rc();
    for (int g = 0; g < replicaOf.length; g++) {
      Replica r = replicaOf[g];
      if (r != null && !r.isShutDown() && rc.upperBoundC(g) >= shutdownC[g] && rc.tempC(g, now) >= shutdownC[g]) {
        r.shutDown(now);
      }
    }
  }

  /** The cooling's peaks over the run, for the summary. */
  RunResult.Cooling books(FirstThrottle first) {
    return new RunResult.Cooling(loop.liquid() ? "liquid" : "air", loop.inletPeakC(), loop.recirculationPeakC(),
        loop.fanSpeedPeak(), loop.fansFailed(), first.happened() ? first.atNs() * 1e-9 : Double.NaN,
        first.happened() ? first.inletC() : Double.NaN, first.gpu());
  }

  /** The fan speed of GPU {@code g}'s node now, a fraction of full speed. */
  double fanSpeedOfGpu(int g) {
    return loop.fanSpeed(nodeOfGpu[g]);
  }

  RcModel rc() {
    return loop.rc();
  }

  CoolingLoop loop() {
    return loop;
  }
}
