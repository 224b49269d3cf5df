package dev.tokentherm.scenario;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.model.ModelProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks of a scenario against the profiles it names, before anything is planned: sizes within
 * {@link Limits}, a KV connector only with a tier below HBM, a tensor-parallel degree the model's
 * heads split into, and collective data for it. Rule for the collective data: every node profile of the cluster with at least tp GPUs (one
 * that could host the deployment's tensor-parallel group) must have a {@code scale_up.all_reduce}
 * entry for exactly tp GPUs; nothing is interpolated between the measured GPU counts.
 */
final class DeploymentChecks {
  private DeploymentChecks() {}

  /**
   * @param fileOf the file of a node profile, for messages
   */
  static List<ConfigError> check(Bound<Scenario> bound, ResolvedProfiles profiles,
      Function<String, Path> fileOf) {
    Scenario scenario = bound.value();
    List<ConfigError> errors = new ArrayList<>();
    long gpus = 0;
    Map<String, NodeProfile> nodes = new LinkedHashMap<>();
    for (NodeGroup group : scenario.cluster().nodes()) {
      NodeProfile node = profiles.node(group.profile());
      nodes.put(node.id(), node);
      gpus += (long) group.count() * node.gpusPerNode();
    }
    if (gpus > Limits.MAX_GPUS) {
      errors.add(bound.errorAt("cluster.nodes", "hold " + gpus + " GPUs; allowed: at most "
          + Limits.MAX_GPUS + " GPUs in one cluster"));
    }
    long replicas = 0;
    for (int i = 0; i < scenario.deployments().size(); i++) {
      Deployment d = scenario.deployments().get(i);
      String at = "deployments[" + i + "]";
      replicas += d.replicas();
      if (replicas > Limits.MAX_REPLICAS) {
        errors.add(bound.errorAt(at + ".replicas", "brings the scenario to " + replicas
            + " replicas; allowed: at most " + Limits.MAX_REPLICAS + " replicas over all deployments"
            + " (each is simulated with its own scheduler, KV pool and meters)"));
      }
      power(bound, profiles, scenario, d, at, errors);
      if (d.kv().hasConnector() && !scenario.cluster().kvTiers().any()) {
        errors.add(bound.errorAt(at + ".kv.connector", "is " + d.kv().connector() + " but cluster.kv_tiers gives no"
            + " tier below HBM for it to write to; allowed: none, or a cluster.kv_tiers dram_gib, nvme_gib or"
            + " remote_gib above 0"));
      }
      int tp = d.parallelism().tp();
      if (tp == 1) {
        continue;
      }
      int before = errors.size();
      for (NodeProfile node : nodes.values()) {
        if (node.gpusPerNode() < tp) {
          continue; // the group cannot be placed there; the layout reports it if nowhere
        }
        List<Integer> have = new ArrayList<>(List.of(1));
        boolean found = false;
        for (NodeProfile.CollectiveFit fit : node.scaleUp().allReduce()) {
          found |= fit.gpus() == tp;
          have.add(fit.gpus());
        }
        if (!found) {
          errors.add(bound.errorAt(at + ".parallelism.tp", "is " + tp + " but "
              + fileOf.apply(node.id()) + " has no scale_up.all_reduce entry for " + tp
              + " GPUs (nothing is interpolated between measured GPU counts); allowed: "
              + String.join(", ", have.stream().sorted().map(String::valueOf).toList())));
        }
      }
      if (errors.size() > before) {
        continue; // one line per deployment's tp
      }
      ModelProfile m = profiles.model(d.model());
      boolean attentionHeads = d.attention() == null || !d.attention().variant().equals("mamba");
      if (attentionHeads && m.heads() % tp != 0) {
        errors.add(bound.errorAt(at + ".parallelism.tp", "is " + tp + " but the " + m.heads()
            + " query heads of '" + m.id() + "' do not split evenly over it; allowed: "
            + divisors(m.heads())));
      } else if (attentionHeads && m.kvHeads() % tp != 0 && tp % m.kvHeads() != 0) {
        errors.add(bound.errorAt(at + ".parallelism.tp", "is " + tp + " but the " + m.kvHeads()
            + " KV heads of '" + m.id() + "' neither split over it nor replicate evenly; allowed: a tp"
            + " that divides or is a multiple of " + m.kvHeads()));
      }
    }
    return errors;
  }

  /** The cap between active idle and the board limit, locked_mhz within the clock range, of every GPU in the cluster. */
  private static void power(Bound<Scenario> bound, ResolvedProfiles profiles, Scenario scenario, Deployment d,
      String at, List<ConfigError> errors) {
    PowerSpec p = d.power();
    if (p.clock().equals("locked") && p.lockedMhz() == null) {
      errors.add(bound.errorAt(at + ".power.clock", "is locked but no locked_mhz is given; allowed: set"
          + " power.locked_mhz, or clock boost"));
    }
    Map<String, GpuProfile> gpus = new LinkedHashMap<>();
    for (NodeGroup group : scenario.cluster().nodes()) {
      GpuProfile g = profiles.gpuOf(group);
      gpus.put(g.id(), g);
    }
    for (GpuProfile g : gpus.values()) {
      double idle = g.activeIdleW().value();
      double limit = g.powerLimitW().value();
      if (p.capW() != null && !(p.capW() > idle && p.capW() <= limit)) {
        errors.add(bound.errorAt(at + ".power.cap_w", "is " + Allowed.number(p.capW()) + " W; allowed: above "
            + g.id() + "'s active idle " + Allowed.number(idle) + " W, at most its power_limit_w "
            + Allowed.number(limit) + " W"));
        return;
      }
      double min = g.clock().minMhz().value();
      double max = g.clock().maxMhz().value();
      if (p.lockedMhz() != null && !(p.lockedMhz() >= min && p.lockedMhz() <= max)) {
        errors.add(bound.errorAt(at + ".power.locked_mhz", "is " + Allowed.number(p.lockedMhz()) + " MHz; allowed: "
            + Allowed.number(min) + " to " + Allowed.number(max) + " MHz (" + g.id() + "'s min_mhz to max_mhz)"));
        return;
      }
    }
  }

  private static String divisors(int n) {
    List<String> ds = new ArrayList<>();
    for (int k = 1; k <= n && ds.size() < 12; k++) {
      if (n % k == 0) {
        ds.add(String.valueOf(k));
      }
    }
    return String.join(", ", ds) + (ds.size() == 12 ? ", …" : "");
  }
}
