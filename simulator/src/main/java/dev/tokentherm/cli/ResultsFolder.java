package dev.tokentherm.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a run's results into a hidden sibling folder and moves it into place only when every
 * file is complete, so a failed or interrupted run never leaves output that looks finished.
 */
final class ResultsFolder implements AutoCloseable {
  private final Path target;
  private final Path staging;
  private boolean committed;

  ResultsFolder(Path target) throws IOException {
    this.target = target.toAbsolutePath().normalize();
    Path parent = this.target.getParent();
    Files.createDirectories(parent);
    // a plain directory (not createTempDirectory, whose 0700 mode the results would keep)
    this.staging = Files.createDirectory(parent.resolve(
        "." + this.target.getFileName() + ".partial-" + Long.toHexString(System.nanoTime())));
  }

  /**
   * Why {@code target} must not be replaced by results, or null: it is a file, or a non-empty
   * folder that is not an earlier run's results (no manifest.json), e.g. {@code --out .}.
   */
  static String refusal(Path target) throws IOException {
    if (!Files.exists(target)) {
      return null;
    }
    if (!Files.isDirectory(target)) {
      return "--out " + target + ": is a file; allowed: a new folder or an earlier run's results folder";
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(target)) {
      empty = entries.findAny().isEmpty();
    }
    if (!empty && !Files.exists(target.resolve("manifest.json"))) {
      return "--out " + target + ": is a folder that holds no earlier results (no manifest.json), "
          + "so it will not be replaced; allowed: a new folder or an earlier run's results folder";
    }
    return null;
  }

  Path file(String name) {
    return staging.resolve(name);
  }

  /** Replaces the target folder with the staged one. */
  void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      move(target, old);
    }
    move(staging, target);
    committed = true;
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteTree(staging);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
