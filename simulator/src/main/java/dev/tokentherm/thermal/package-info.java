/**
 * GPU thermals: each GPU's die temperature from its power and its inlet air
 * ({@link dev.tokentherm.thermal.RcModel}, a lumped RC solved exactly between power changes).
 * The power package tells it of every change; it knows nothing of serving, the simulation's
 * wiring, the workload or the metrics (ArchitectureTest). Observed only: no throttling yet.
 */
package dev.tokentherm.thermal;
