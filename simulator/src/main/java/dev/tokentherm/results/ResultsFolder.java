package dev.tokentherm.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a run's results into a hidden sibling folder and moves it into place only when every
 * file is complete and flushed to disk, so a failed or interrupted run never leaves output that
 * looks finished. Rules (the README's "Bad input" section):
 *
 * <ul>
 *   <li>The target is refused when it is empty, the root, the working folder, the home folder or
 *       a folder above either, a symbolic link, a file, under a file, or an existing non-empty
 *       folder that is not an earlier tokentherm results folder. An earlier results folder is one
 *       whose manifest.json says {@code "tool": "tokentherm"} and that holds only files a run
 *       writes ({@link #RESULT_FILES}): a run replaces only what runs wrote.
 *   <li>A run holds a lock on {@code .<name>.lock} next to the target (FileChannel.tryLock) from
 *       start to end; a second run into the same target fails at once, naming the first (pid and
 *       start time). The lock file is removed when the run ends.
 *   <li>Under the lock, hidden {@code .<name>.partial-<hex>} and {@code .<name>.old-<…>} folders
 *       left by killed runs are removed.
 *   <li>Every file and the staging folder are forced to disk before the final rename.
 *   <li>A run that fails leaves nothing behind: its staging folder, its lock file and any parent
 *       folder it created are removed.
 * </ul>
 */
public final class ResultsFolder implements AutoCloseable {
  /** Every file a run may write into its results folder. */
  public static final List<String> RESULT_FILES = List.of("manifest.json", "summary.json",
      "conversations.csv", "requests.csv", "timeseries.csv", "devices.csv", "links.csv", "tiers.csv",
      "timeline.json", "latencies.hlog", "report_series.csv", "assumptions.json", "report.html", "report.md");

  /** A target that will not be written, with the one-line reason (without "tokentherm: "). */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final Path target;
  private final String shown;
  private final List<Path> createdParents;
  private final Path lockFile;
  private FileChannel lockChannel;
  private FileLock lock;
  private Path staging;
  private boolean committed;

  private ResultsFolder(String shown, Path target, List<Path> createdParents, Path lockFile) {
    this.shown = shown;
    this.target = target;
    this.createdParents = createdParents;
    this.lockFile = lockFile;
  }

  /**
   * Checks {@code requested}, creates its missing parents, takes the lock, removes leftovers of
   * killed runs and creates the staging folder.
   *
   * @throws Refused with a one-line reason naming the path; nothing is left behind
   */
  public static ResultsFolder open(Path requested) throws Refused {
    return open(requested, "--out");
  }

  /** As {@link #open(Path)}, naming the target in messages as {@code option requested}. */
  public static ResultsFolder open(Path requested, String option) throws Refused {
    String what = option + " " + requested;
    if (requested.toString().isEmpty()) {
      throw new Refused(option + " is empty (an unset variable?); allowed: a folder path");
    }
    Path target = requested.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null || target.getFileName() == null) {
      throw new Refused(what + ": is the root folder; allowed: a new folder or an earlier run's results folder");
    }
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (cwd.startsWith(target)) {
      throw new Refused(what + ": is the working folder or a folder above it; allowed: a new folder"
          + " or an earlier run's results folder");
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty() && Path.of(home).toAbsolutePath().normalize().startsWith(target)) {
      throw new Refused(what + ": is the home folder or a folder above it; allowed: a new folder"
          + " or an earlier run's results folder");
    }
    String refusal = refusal(what, target);
    if (refusal != null) {
      throw new Refused(refusal);
    }
    List<Path> created = new ArrayList<>();
    ResultsFolder folder = new ResultsFolder(what, target, created,
        parent.resolve("." + target.getFileName() + ".lock"));
    try {
      createParents(parent, created);
      folder.lock();
      folder.removeLeftovers();
      // a plain directory (not createTempDirectory, whose 0700 mode the results would keep)
      folder.staging = Files.createDirectory(parent.resolve(
          "." + target.getFileName() + ".partial-" + Long.toHexString(System.nanoTime())));
      return folder;
    } catch (IOException e) {
      folder.close();
      throw new Refused(what + ": cannot be written: " + describe(e));
    } catch (Refused e) {
      folder.close();
      throw e;
    }
  }

  /** Why {@code target} must not be replaced by results, or null. */
  public static String refusal(String what, Path target) {
    for (Path p = target.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          return what + ": " + p + " is a file, not a folder; allowed: a path under folders";
        }
        break;
      }
    }
    if (Files.isSymbolicLink(target)) {
      return what + ": is a symbolic link; allowed: a new folder or an earlier run's results folder";
    }
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isDirectory(target)) {
      return what + ": is a file; allowed: a new folder or an earlier run's results folder";
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(target)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      return what + ": cannot be read: " + describe(e);
    }
    if (names.isEmpty()) {
      return null;
    }
    if (!isEarlierResults(target.resolve("manifest.json"))) {
      return what + ": is a folder that holds no earlier results (no manifest.json), "
          + "so it will not be replaced; allowed: a new folder or an earlier run's results folder";
    }
    names.sort(null);
    for (String name : names) {
      if (!RESULT_FILES.contains(name) || !Files.isRegularFile(target.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return what + ": holds " + name + ", which no run wrote, so the folder will not be replaced;"
            + " allowed: a results folder holding only " + String.join(", ", RESULT_FILES);
      }
    }
    return null;
  }

  private static boolean isEarlierResults(Path manifest) {
    if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      if (Files.size(manifest) > 1 << 20) {
        return false;
      }
      JsonNode node = new ObjectMapper().readTree(manifest.toFile());
      return node != null && "tokentherm".equals(node.path("tool").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static void createParents(Path parent, List<Path> created) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(0, p);
    }
    for (Path p : missing) {
      Files.createDirectory(p);
      created.add(0, p); // deepest first, for removal
    }
  }

  /**
   * Takes the lock. Never opens a second descriptor of the lock file once locked: closing any
   * descriptor of a file drops the process's POSIX locks on it. The path must still name the
   * file locked (the holder before us unlinks it before letting go), which stat tells without
   * opening: the file key before opening equals the one after locking.
   */
  private void lock() throws IOException, Refused {
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        Files.createFile(lockFile);
      } catch (FileAlreadyExistsException e) {
        // another run's, or a leftover of a killed one: its lock decides
      }
      Object before = fileKey(lockFile);
      FileChannel channel;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        continue;
      }
      FileLock taken;
      try {
        taken = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        taken = null; // this JVM holds it
      }
      if (taken == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new Refused(shown + ": another run is writing it (" + holder + "; lock "
            + lockFile + "); allowed: wait for it to end, or another --out");
      }
      Object after = fileKey(lockFile);
      if (before != null && before.equals(after)) {
        byte[] bytes = ("pid " + ProcessHandle.current().pid() + ", started " + Instant.now())
            .getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(true);
        lockChannel = channel;
        lock = taken;
        return;
      }
      taken.release();
      channel.close();
    }
    throw new Refused(shown + ": the lock " + lockFile + " keeps changing hands; allowed: one run at a time");
  }

  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(512);
      int n = channel.read(buffer, 0);
      String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "a run that has just started" : text;
    } catch (IOException e) {
      return "holder unknown";
    }
  }

  /** Staging and replaced folders of this target left by runs that were killed. */
  private void removeLeftovers() throws IOException {
    String partial = "." + target.getFileName() + ".partial-";
    String old = "." + target.getFileName() + ".old-";
    List<Path> leftovers = new ArrayList<>();
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      siblings.forEach(p -> {
        String name = p.getFileName().toString();
        boolean ours = (name.startsWith(partial) && name.substring(partial.length()).matches("[0-9a-f]+"))
            || (name.startsWith(old) && name.substring(old.length()).matches("[0-9]+"));
        if (ours && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          leftovers.add(p);
        }
      });
    }
    for (Path p : leftovers) {
      deleteTree(p);
    }
  }

  public Path file(String name) {
    return staging.resolve(name);
  }

  /** The staging folder the files are written into until {@link #commit}. */
  public Path folder() {
    return staging;
  }

  /**
   * Forces the staged files to disk, then replaces the target folder with the staged one.
   *
   * @return whether an earlier run's results were replaced (the target held files)
   */
  public boolean commit() throws IOException {
    try (Stream<Path> files = Files.list(staging)) {
      for (Path f : files.toList()) {
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ)) {
          channel.force(true);
        }
      }
    }
    forceFolder(staging);
    Path old = null;
    boolean replaced = false;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(target)) {
        replaced = entries.findAny().isPresent();
      }
      old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      move(target, old);
    }
    move(staging, target);
    committed = true;
    forceFolder(target.getParent());
    if (old != null) {
      deleteTree(old);
    }
    return replaced;
  }

  /** fsync of a folder, so that a rename survives a crash (not every platform allows it). */
  private static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // folders cannot be opened for fsync on some platforms; the files themselves are forced
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Removes what this run made and did not commit, then lets the lock go; never throws. */
  @Override
  public void close() {
    if (!committed && staging != null) {
      quietly(() -> deleteTree(staging));
    }
    if (lock != null) {
      quietly(() -> Files.deleteIfExists(lockFile)); // while holding the lock: see lock()
      quietly(lock::release);
      lock = null;
    }
    if (lockChannel != null) {
      quietly(lockChannel::close);
      lockChannel = null;
    }
    if (!committed) {
      for (Path p : createdParents) {
        quietly(() -> Files.deleteIfExists(p)); // only while empty
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void quietly(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      // best effort: the run has already failed or finished
    }
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** An I/O failure as people read it: "/x/y: permission denied". */
  public static String describe(Exception e) {
    Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    if (t instanceof FileSystemException f) {
      String reason;
      if (f instanceof AccessDeniedException) {
        reason = "permission denied";
      } else if (f instanceof NoSuchFileException) {
        reason = "no such file or folder";
      } else if (f instanceof FileAlreadyExistsException) {
        reason = "already exists";
      } else if (f instanceof NotDirectoryException) {
        reason = "not a folder";
      } else {
        reason = f.getReason() != null ? f.getReason() : "cannot be written";
      }
      return (f.getFile() != null ? f.getFile() + ": " : "") + reason;
    }
    String message = t.getMessage();
    return message != null ? message : t.getClass().getSimpleName();
  }
}
