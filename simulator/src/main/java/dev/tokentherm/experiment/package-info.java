/**
 * Runs as building blocks: {@link dev.tokentherm.experiment.RunPipeline} is one run in process and
 * silent (load with --set, plan check, results folder, row files, simulation, summary.json and
 * manifest.json, atomic commit), shared by {@code run}, sweeps and plans; an
 * {@link dev.tokentherm.experiment.Experiment} is treatments (a base scenario plus --set
 * assignments) × replications (seeds derived by {@link dev.tokentherm.experiment.Replications}),
 * run by an {@link dev.tokentherm.experiment.ExperimentRunner} on an
 * {@link dev.tokentherm.experiment.Executor} into a {@link dev.tokentherm.experiment.PointStore}
 * (one committed folder per run hash, so an interrupted experiment resumes), and summarised by
 * {@link dev.tokentherm.experiment.ExperimentResult}: every summary metric's across-replication
 * mean with results.ConfidenceInterval, and paired differences between treatments sharing seeds.
 * Never prints: the command line does.
 */
package dev.tokentherm.experiment;
