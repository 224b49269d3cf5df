package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;

@Doc("Rack layout and cooling air")
public record Racks(
    @Default("4") @Range(min = 1) @Doc("nodes per rack") int nodesPerRack,
    @Default("24") @Range(min = -20, max = 60) @Doc("cold-aisle inlet air temperature, °C (ASHRAE recommends 18–27)") double inletC) {}
