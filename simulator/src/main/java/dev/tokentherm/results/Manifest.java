package dev.tokentherm.results;

import java.util.List;

/**
 * manifest.json: what may differ between identical runs (wall time, machine) and what identifies
 * the run (seed, hashes). Keys keep their meaning; new ones go at the end.
 *
 * @param tool always "tokentherm" (what marks a folder as an earlier run's results)
 * @param scenarioSha256 the resolved scenario's SHA-256 ({@link RunHash#scenarioSha256})
 * @param sets the --set overrides, in order
 * @param profiles the hardware-profiles folder, as given or found
 * @param wallS wall-clock seconds of the simulation
 * @param runHash SHA-256 over everything that decides the results ({@link RunHash})
 * @param runHashParts what {@code runHash} covers, each part hashed
 * @param scenarioSha256WithoutSeed the resolved scenario's SHA-256 without its seed: equal for runs
 *     that differ only in their seed (report --compare groups them by it)
 */
public record Manifest(String tool, String version, String scenarioFile, String scenarioSha256, long seed,
    List<String> sets, String profiles, String startedAt, double wallS, long events, double eventsPerS,
    double wallUsPerRequest, String java, String os, int cores, String runHash, RunHash.Parts runHashParts,
    String scenarioSha256WithoutSeed) {

  public static final String TOOL = "tokentherm";

  /** The manifest of a run that just ended on this machine. */
  public static Manifest of(String scenarioFile, List<String> sets, String profiles, long seed, RunHash hash,
      String startedAt, double wallS, long events, long requestsArrived) {
    return new Manifest(TOOL, CodeVersion.current(), scenarioFile, hash.parts().scenarioSha256(), seed,
        List.copyOf(sets), profiles, startedAt, wallS, events, events / Math.max(wallS, 1e-9),
        wallS * 1e6 / Math.max(1, requestsArrived), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        hash.sha256(), hash.parts(), hash.scenarioSha256WithoutSeed());
  }
}
