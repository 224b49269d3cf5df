package dev.tokentherm.sim;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.NodeGroup;
import dev.tokentherm.scenario.ResolvedProfiles;
import dev.tokentherm.scenario.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything runs: the cluster's nodes and GPUs in scenario order, and each replica's GPUs,
 * filled node by node (a pipeline stage's tp GPUs on one node; a replica's stages on nodes of one
 * profile, joined by NICs when they span nodes). Each distinct layout of a deployment (node profile,
 * within a node or across) has its own {@link DeploymentPlan}; the first is the deployment's.
 */
final class Placement {
  /** The nodes in order, one entry per node (a group of count n gives n entries). */
  final List<NodeProfile> nodes = new ArrayList<>();
  /** Each replica's GPUs, stage by stage, in replica order (deployment by deployment). */
  final List<int[]> gpusOfReplica = new ArrayList<>();
  /** Each replica's plan (its deployment's, for its layout). */
  final List<DeploymentPlan> replicaPlans = new ArrayList<>();
  /** Each replica's deployment number. */
  final List<Integer> replicaDeployment = new ArrayList<>();
  /** Each deployment's plan (its first replica's layout). */
  final List<DeploymentPlan> plans = new ArrayList<>();
  /** The nodes' host power besides their GPUs (host_idle_w summed), W. */
  double hostW;
  /** Each GPU's power before anything runs: active idle with a model resident, else idle, W. */
  double[] initialPowerW;
  /** Each GPU's heat capacity from its profile ({@code thermal.capacity_j_per_c}), J/°C. */
  double[] capacityJPerC;
  /**
   * Each GPU's share of its rack's power budget ({@code cluster.racks.power_budget_w}), W; +∞ when
   * there is none. A static even share: (budget − {@link #rackOverheadW}) / the rack's GPUs, the GPUs
   * no deployment uses counted too (they draw idle), so while every GPU's clock fits its share the
   * rack's power stays within the budget.
   */
  double[] budgetShareW;
  private final List<Integer> firstGpu = new ArrayList<>();
  /** cluster.racks.nodes_per_rack: the nodes in order, that many to a rack (the last may hold fewer). */
  private int nodesPerRack = 1;

  private Placement() {}

  static Placement of(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    Placement p = new Placement();
    p.place(scenario, profiles);
    return p;
  }

  int gpuCount() {
    return initialPowerW.length;
  }

  /** Watts for a message, to 0.1 W. */
  private static String watts(double w) {
    return Allowed.number(Math.round(w * 10) / 10.0);
  }

  /** The first GPU of node {@code n}. */
  int firstGpu(int n) {
    return firstGpu.get(n);
  }

  int rackOf(int node) {
    return node / nodesPerRack;
  }

  int racks() {
    return (nodes.size() + nodesPerRack - 1) / nodesPerRack;
  }

  /**
   * A rack's power besides its GPUs, W: its nodes' host_idle_w and their fans at full speed above
   * min speed (host_idle_w holds them at min speed; thermal.CoolingLoop), so that the budget holds
   * whatever the fans do. The one place the budget's share reads it.
   */
  double rackOverheadW(int rack) {
    double w = 0;
    for (int n = rack * nodesPerRack, end = Math.min(n + nodesPerRack, nodes.size()); n < end; n++) {
      w += nodes.get(n).hostIdleW().value();
      var fans = nodes.get(n).fans();
      if (fans != null) {
        w += dev.tokentherm.thermal.FanCurve.powerAboveMinW(fans.maxW().value(), fans.minSpeed().value(), 1, 1);
      }
    }
    return w;
  }

  /** The GPUs of a rack's nodes. */
  int rackGpus(int rack) {
    int gpus = 0;
    for (int n = rack * nodesPerRack, end = Math.min(n + nodesPerRack, nodes.size()); n < end; n++) {
      gpus += nodes.get(n).gpusPerNode();
    }
    return gpus;
  }

  /**
   * The budget share that limits a replica on these GPUs, W (+∞: none): the lowest of theirs, since
   * the replica runs at one clock (its stages can span racks only when they span nodes).
   */
  double budgetShareW(int[] gpus) {
    double w = Double.POSITIVE_INFINITY;
    for (int g : gpus) {
      w = Math.min(w, budgetShareW[g]);
    }
    return w;
  }

  /** The node a GPU is on. */
  int nodeOf(int gpu) {
    int n = 0;
    while (n + 1 < nodes.size() && firstGpu.get(n + 1) <= gpu) {
      n++;
    }
    return n;
  }

  private void place(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    List<Double> idleW = new ArrayList<>();
    List<GpuProfile.Thermal> thermal = new ArrayList<>();
    int gpuCount = 0;
    for (NodeGroup g : scenario.cluster().nodes()) {
      NodeProfile node = profiles.node(g.profile());
      double gpuIdle = profiles.gpu(node.gpu()).idleW().value();
      GpuProfile.Thermal rc = profiles.gpu(node.gpu()).thermal();
      for (int i = 0; i < g.count(); i++) {
        nodes.add(node);
        hostW += node.hostIdleW().value();
        firstGpu.add(gpuCount);
        gpuCount += node.gpusPerNode();
        for (int j = 0; j < node.gpusPerNode(); j++) {
          idleW.add(gpuIdle);
          thermal.add(rc);
        }
      }
    }
    initialPowerW = new double[gpuCount];
    capacityJPerC = new double[gpuCount];
    for (int i = 0; i < gpuCount; i++) {
      initialPowerW[i] = idleW.get(i);
      capacityJPerC[i] = thermal.get(i).capacityJPerC().value();
    }
    shareBudget(scenario, profiles);
    int[] usedInNode = new int[nodes.size()];
    int node = 0;
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
          initialPowerW[g] = plan.gpu().activeIdleW().value();
        }
        gpusOfReplica.add(gpus);
        replicaPlans.add(plan);
        replicaDeployment.add(di);
      }
    }
  }

  /** Each GPU's share of its rack's budget; a share at or below a GPU's active idle is a setup error. */
  private void shareBudget(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    nodesPerRack = scenario.cluster().racks().nodesPerRack();
    Double budgetW = scenario.cluster().racks().powerBudgetW();
    budgetShareW = new double[initialPowerW.length];
    java.util.Arrays.fill(budgetShareW, Double.POSITIVE_INFINITY);
    if (budgetW == null) {
      return;
    }
    for (int rack = 0; rack < racks(); rack++) {
      int gpus = rackGpus(rack);
      double shareW = (budgetW - rackOverheadW(rack)) / gpus;
      for (int n = rack * nodesPerRack, end = Math.min(n + nodesPerRack, nodes.size()); n < end; n++) {
        GpuProfile gpu = profiles.gpu(nodes.get(n).gpu());
        double idleW = gpu.activeIdleW().value();
        if (!(shareW > idleW)) {
          throw new SetupException(List.of(new SetupException.Problem("cluster.racks.power_budget_w",
              "is " + watts(budgetW) + " W, which leaves rack " + (rack + 1) + " (" + watts(rackOverheadW(rack))
                  + " W of hosts and fans, " + gpus + " GPUs) " + watts(shareW) + " W per GPU; allowed: above "
                  + watts(rackOverheadW(rack) + gpus * idleW) + " W (the hosts, their fans at full speed and " + gpus
                  + " × " + gpu.id() + "'s active idle " + watts(idleW) + " W)")));
        }
        for (int g = firstGpu.get(n), last = g + nodes.get(n).gpusPerNode(); g < last; g++) {
          budgetShareW[g] = shareW;
        }
      }
    }
  }
}
