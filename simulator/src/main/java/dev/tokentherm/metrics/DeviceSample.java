package dev.tokentherm.metrics;

/**
 * One GPU at a sample (devices.csv's row): over the last sample interval its energy-averaged power
 * and utilisation; at the sample instant the HBM it holds, its die temperature, the SM clock of its
 * latest iteration and its clock-event reason, its inlet air (or coolant) and its node's fan speed.
 *
 * @param deployment its deployment, or {@code unused} for a GPU no deployment uses
 * @param tempC °C; NaN without a thermal model (cooling none)
 * @param clockMhz NaN before its first iteration
 * @param throttleReason none, sw_power_cap, locked, sw_thermal_slowdown, hw_slowdown,
 *     rack_power_budget or shutdown (as NVML's clock-event reasons, plus ours)
 * @param utilizationFrac as NVML's utilization.gpu: the share of the interval spent in iterations, 0..1
 * @param inletC °C; NaN without a thermal model
 * @param fanSpeed a fraction of full speed; NaN without a thermal model
 */
public record DeviceSample(double timeS, int gpu, String deployment, double powerW, double hbmUsedGib, double tempC,
    double clockMhz, String throttleReason, double utilizationFrac, double inletC, double fanSpeed) {}
