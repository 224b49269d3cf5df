package dev.tokentherm.workload.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a trace file in a given format. */
public final class TraceReaders {
  private TraceReaders() {}

  /**
   * Opens {@code file}; messages name it as written here. Nothing is read until the first
   * {@link TraceReader#next} call, so a bad or empty trace shows there.
   */
  public static TraceReader open(Path file, TraceFormat format) throws TraceException {
    String name = file.toString();
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // /dev/zero never ends, a FIFO blocks the read: refused before opening
      throw TraceException.ofFile(name, "is not a regular file (" + (Files.isDirectory(file) ? "a folder"
          : "a device, pipe or socket") + "); allowed: a trace file");
    }
    BufferedReader in;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw TraceException.ofFile(name, "no such file");
    } catch (IOException e) {
      throw TraceException.ofFile(name, "cannot be read (" + e.getMessage() + ")");
    }
    TraceLines lines = new TraceLines(name, in);
    switch (format) {
      case AZURE:
        return new AzureCsvReader(lines);
      case MOONCAKE:
        return new MooncakeJsonlReader(lines);
      case CSV:
        return new UserCsvReader(lines);
      default:
        throw new AssertionError(format);
    }
  }
}
