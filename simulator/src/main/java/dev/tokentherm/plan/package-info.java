/**
 * Capacity planning ({@code tokentherm plan}): a plan file ({@link dev.tokentherm.plan.Plan}) names
 * candidate configurations of a base scenario, the axis searched (an arrival rate or a replica
 * count), the SLO and an objective; {@link dev.tokentherm.plan.PlanRunner} finds each candidate's
 * stable and SLO capacities by {@link dev.tokentherm.plan.Bisection}, each probe's replications run
 * in parallel by the experiment package and kept in its point store, and
 * {@link dev.tokentherm.plan.Ranking} orders the candidates by cost, energy or GPUs per unit of
 * load. Never prints: the command line does.
 */
package dev.tokentherm.plan;
