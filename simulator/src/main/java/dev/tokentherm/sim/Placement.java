package dev.tokentherm.sim;

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
  /** Each GPU's lumped RC from its profile ({@code thermal.resistance_c_per_w}, °C/W; {@code capacity_j_per_c}, J/°C). */
  double[] resistanceCPerW;
  double[] capacityJPerC;
  private final List<Integer> firstGpu = new ArrayList<>();

  private Placement() {}

  static Placement of(Scenario scenario, ResolvedProfiles profiles) throws SetupException {
    Placement p = new Placement();
    p.place(scenario, profiles);
    return p;
  }

  int gpuCount() {
    return initialPowerW.length;
  }

  /** The first GPU of node {@code n}. */
  int firstGpu(int n) {
    return firstGpu.get(n);
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
    resistanceCPerW = new double[gpuCount];
    capacityJPerC = new double[gpuCount];
    for (int i = 0; i < gpuCount; i++) {
      initialPowerW[i] = idleW.get(i);
      resistanceCPerW[i] = thermal.get(i).resistanceCPerW().value();
      capacityJPerC[i] = thermal.get(i).capacityJPerC().value();
    }
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
}
