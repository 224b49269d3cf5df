package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;

@Doc("Rack layout, cooling air and power budget")
public record Racks(
    @Default("4") @Range(min = 1) @Doc("nodes per rack") int nodesPerRack,
    @Default("24") @Range(min = -20, max = 60) @Doc("cold-aisle inlet air temperature, °C (ASHRAE recommends 18–27)") double inletC,
    @Range(min = 0, minExclusive = true) @Doc("each rack's IT power budget, W (its GPUs and hosts), shared statically: every GPU of a rack is limited to (power_budget_w − the rack's host power) / the rack's GPUs, a limit beside power.cap_w (the lower binds; clock-event reason rack_power_budget); default: none") Double powerBudgetW) {}
