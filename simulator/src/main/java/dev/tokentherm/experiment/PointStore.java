package dev.tokentherm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.results.RunHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Finished runs, one folder each under {@code points/}, named by the complete run hash
 * (results.RunHash: the scenario after its --set assignments and seed, the profiles' contents,
 * the data files and the code): a run whose folder is committed is never run again, and a changed
 * profile, data file or build gives other names, so the runs it affects run again. Each folder
 * is written by results.ResultsFolder (staged, forced to disk, renamed into place), so a folder
 * either is complete or does not exist.
 */
public final class PointStore {
  /** The folder's name under a sweep's output folder. */
  public static final String FOLDER = "points";

  private final Path root;

  public PointStore(Path root) {
    this.root = root;
  }

  /** The store of a sweep or experiment output folder: {@code dir/points}. */
  public static PointStore in(Path dir) {
    return new PointStore(dir.resolve(FOLDER));
  }

  public Path root() {
    return root;
  }

  public Path folder(String runHash) {
    return root.resolve(runHash);
  }

  /** Whether the run with this hash is committed: its folder holds summary.json and a manifest naming the hash. */
  public boolean isCommitted(RunHash hash) {
    return isCommitted(hash.sha256());
  }

  public boolean isCommitted(String runHash) {
    Path folder = folder(runHash);
    if (!Files.isRegularFile(folder.resolve("summary.json"), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      JsonNode manifest = new ObjectMapper().readTree(folder.resolve("manifest.json").toFile());
      return manifest != null && runHash.equals(manifest.path("run_hash").asText());
    } catch (IOException e) {
      return false;
    }
  }

  public Path summary(String runHash) {
    return folder(runHash).resolve("summary.json");
  }
}
