package dev.tokentherm.experiment;

/**
 * One run of an experiment: a treatment's replication.
 *
 * @param treatment index into the experiment's treatments
 * @param replication 0, 1, …
 * @param seed {@link Replications#seed} of the treatment's base seed
 */
public record ExperimentRun(int treatment, int replication, long seed) {}
