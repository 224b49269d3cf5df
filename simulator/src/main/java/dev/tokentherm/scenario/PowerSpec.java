package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOfCatalog;
import dev.tokentherm.config.Range;

@Doc("A deployment's SM clock policy and power cap per GPU (power.ClockGovernor)")
public record PowerSpec(
    @Default("boost") @OneOfCatalog("clock-policy")
    @Doc("The clock each replica asks for at an iteration start; a cap below it lowers it to the highest setting that fits.") String clock,
    @Range(min = 1) @Doc("the fixed SM clock of the locked policy, MHz, within the GPU's [min_mhz, max_mhz]") Double lockedMhz,
    @Range(min = 0, minExclusive = true) @Doc("power cap per GPU, W, between the GPU's active idle and its power_limit_w (default: power_limit_w, which the kernel fits were measured under and which never slows the clock)") Double capW,
    @Default("1") @Range(min = 0, minExclusive = true, max = 3600) @Doc("the slo-tpot policy's decision interval, s: it sets the clock at the first iteration start after each interval ends") double intervalS,
    @Default("0.8") @Range(min = 0, minExclusive = true, max = 1) @Doc("the slo-tpot policy's target, a fraction of slo.tpot_ms: the controller steers the mean token gap of an interval, and a request's TPOT is its own mean, so the margin leaves room for requests whose gaps run above the replica's mean and for load rising within an interval") double sloMargin) {}
