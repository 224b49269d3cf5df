package dev.tokentherm.scenario;

import dev.tokentherm.config.Allowed;
import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Sourced;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

/**
 * The scale-out fabric between the nodes' NICs and the remote KV pool (sim.TierSetup): one link per
 * cluster or per rack (the rack's uplinks to the spine), shared max-min fairly by every remote-pool
 * copy that crosses it, on the route [host link, NICs, fabric, pool]. Collectives and pipeline sends
 * keep their closed-form times and do not cross it.
 */
@Doc("Scale-out fabric between the nodes' NICs and the remote KV pool (its traffic only)")
public record Fabric(
    @Default("cluster") @OneOf({"cluster", "rack"}) @Doc("cluster: one fabric link that every node's remote-pool"
        + " traffic shares; rack: one per rack (cluster.racks.nodes_per_rack), the rack's uplinks to the spine")
    String per,
    @Doc("capacity of one fabric link, 10^9 B/s, with its source (absent: non-blocking, the sum of the NIC line"
        + " rates of the nodes behind it, so only their NICs bound their traffic)") Sourced gbPerS,
    @Doc("latency a copy crossing the fabric pays once, µs, with its source (absent: 0)") Sourced latencyUs)
    implements Validatable {

  @Override
  public void validate(Validation v) {
    if (gbPerS != null && !(gbPerS.value() > 0)) {
      v.error("gb_per_s.value", "is " + Allowed.number(gbPerS.value()) + "; allowed: a number > 0");
    }
    if (latencyUs != null && !(latencyUs.value() >= 0)) {
      v.error("latency_us.value", "is " + Allowed.number(latencyUs.value()) + "; allowed: a number ≥ 0");
    }
  }
}
