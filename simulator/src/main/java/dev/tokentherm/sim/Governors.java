package dev.tokentherm.sim;

import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.power.ClockGovernor;
import dev.tokentherm.power.ClockPolicy;
import dev.tokentherm.power.StagePower;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.Deployment;
import dev.tokentherm.scenario.PowerSpec;
import dev.tokentherm.scenario.Slo;

/** Builds each replica's clock governor from its deployment's power block and its GPU profile. */
final class Governors {
  private Governors() {}

  /**
   * A replica's clock governor (power.ClockGovernor): its deployment's clock policy and cap, the GPU's
   * clock grid, and its thermal slowdown and shutdown thresholds.
   */
  static ClockGovernor of(PolicyRegistry policies, Slo slo, Deployment d, GpuProfile gpu) {
    PowerSpec p = d.power();
    ClockPolicy policy = policies.clockPolicy(p.clock());
    GpuProfile.Clock c = gpu.clock();
    double max = c.maxMhz().value();
    double mhz = policy.requestedMhz(max, p.lockedMhz() == null ? Double.NaN : p.lockedMhz());
    policy.configure(new ClockPolicy.Control(max, c.minMhz().value(), c.stepMhz().value(),
        slo.tpotMs() / 1e3 * p.sloMargin(), p.intervalS()));
    return new ClockGovernor(StagePower.of(gpu), max, c.minMhz().value(), c.stepMhz().value(), mhz, policy.locked(),
        p.capW() == null ? Double.NaN : p.capW()).thermalLimits(gpu.thermal().slowdownC().value(),
        gpu.thermal().hwSlowdownC().value()).shutdownAt(gpu.thermal().shutdownC().value()).adapt(policy);
  }
}
