package dev.tokentherm.scenario;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

/** A whole scenario file: workload + cluster + deployments + policies + outputs. */
@Doc("A tokentherm scenario: workload, cluster, deployments, policies and outputs")
public record Scenario(
    @Required @Doc("name of the run; results go to results/<name>/ by default") String name,
    @Default("1") @Doc("seed of every random stream") long seed,
    @Required @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("no new conversations start after this many seconds; started ones continue") double horizonS,
    @Default("600") @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("after the horizon, stop at the latest this many seconds later, counting what is unfinished") double maxDrainS,
    @Doc("the window that every rate and percentile uses; default: first arrival to last completion") Measure measure,
    @Required @Doc("the machines") Cluster cluster,
    @Required @MinSize(1) @Doc("models served on the cluster") List<Deployment> deployments,
    @Required @MinSize(1) @Doc("traffic, each entry sent to one deployment") List<Workload> workload,
    @Default("{}") @Doc("per-request latency thresholds and the target share meeting them") Slo slo,
    @Default("{}") @Doc("what the run writes") Outputs outputs)
    implements Validatable {

  @Override
  public void validate(Validation v) {
    String nameProblem = Limits.nameProblem(name);
    if (nameProblem != null) {
      v.error("name", nameProblem);
    }
    double samples = (horizonS + maxDrainS) / outputs.sampleIntervalS();
    if (samples > Limits.MAX_SAMPLES) {
      v.error("outputs.sample_interval_s", "is " + Allowed.number(outputs.sampleIntervalS())
          + " s, which takes " + String.format(java.util.Locale.ROOT, "%.3g", samples)
          + " samples over horizon_s + max_drain_s; allowed: at most "
          + String.format(java.util.Locale.ROOT, "%.0e", Limits.MAX_SAMPLES)
          + " samples, so sample_interval_s ≥ "
          + Allowed.number((horizonS + maxDrainS) / Limits.MAX_SAMPLES));
    }
    for (int i = 0; i < deployments.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (deployments.get(i).name().equals(deployments.get(j).name())) {
          v.error("deployments[" + i + "].name", "'" + deployments.get(i).name()
              + "' is used twice; deployment names must be unique");
        }
      }
    }
    for (int i = 0; i < deployments.size(); i++) {
      String name = deployments.get(i).name();
      if (name.indexOf(',') >= 0 || name.indexOf('"') >= 0 || name.indexOf('\n') >= 0 || name.equals("unused")) {
        v.error("deployments[" + i + "].name", "is '" + name + "'; allowed: a name without commas, quotes or line"
            + " breaks (it is a CSV cell), other than 'unused' (devices.csv's word for GPUs no deployment uses)");
      }
    }
    for (int i = 0; i < workload.size(); i++) {
      for (int t = 0; t < workload.get(i).target().size(); t++) {
      String target = workload.get(i).target().get(t);
      String where = workload.get(i).target().size() == 1 ? "" : "[" + t + "]";
      boolean found = false;
      for (Deployment d : deployments) {
        found |= d.name().equals(target);
      }
      if (!found) {
        v.error("workload[" + i + "].target" + where, "no deployment is named '" + target + "'; allowed: "
            + String.join(", ", deployments.stream().map(Deployment::name).toList()));
      }
      }
    }
  }
}
