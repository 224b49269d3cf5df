package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;

@Doc("Facility overheads and prices")
public record Facility(
    @Default("1.2") @Range(min = 1) @Doc("power usage effectiveness: facility energy / IT energy") double pue,
    @Default("0") @Range(min = 0) @Doc("grid carbon intensity, g CO2 per kWh") double carbonGPerKwh,
    @Default("0") @Range(min = 0) @Doc("electricity price, USD per kWh") double priceUsdPerKwh) {}
