package dev.tokentherm.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a YAML file into a record: parse with positions, apply {@code --set} options, bind and
 * validate, and report every problem at once as one-line errors.
 */
public final class ConfigLoader {
  // errors in file order; errors without a line (--set options) after them, in option order
  private static final Comparator<ConfigError> FILE_ORDER = Comparator
      .comparing((ConfigError e) -> e.line() > 0 ? 0 : 1)
      .thenComparingInt(ConfigError::line)
      .thenComparingInt(ConfigError::column);

  private ConfigLoader() {}

  /**
   * @param sets {@code --set path=value} options, applied in order before binding
   * @throws ConfigException with every problem, each naming file:line:column and field path
   */
  public static <T extends Record> Bound<T> load(Path file, Class<T> type, List<String> sets)
      throws ConfigException {
    return load(file, type, sets, Catalog.installed());
  }

  /** As {@link #load(Path, Class, List)}, {@link OneOfCatalog} fields checked against {@code catalog}. */
  public static <T extends Record> Bound<T> load(Path file, Class<T> type, List<String> sets,
      Catalog catalog) throws ConfigException {
    return parse(readText(file), file.toString(), type, sets, catalog);
  }

  /**
   * Binds YAML text.
   *
   * @param source the file name errors will show
   */
  public static <T extends Record> Bound<T> parse(String text, String source, Class<T> type,
      List<String> sets) throws ConfigException {
    return parse(text, source, type, sets, Catalog.installed());
  }

  /** As {@link #parse(String, String, Class, List)}, {@link OneOfCatalog} fields checked against {@code catalog}. */
  public static <T extends Record> Bound<T> parse(String text, String source, Class<T> type,
      List<String> sets, Catalog catalog) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    YamlReader reader = new YamlReader();
    RecordShape.Cache shapes = new RecordShape.Cache(catalog);
    String expected = "expected a mapping with keys: " + String.join(", ", shapes.of(type).keys());
    Optional<YamlNode> document = reader.read(text, source, errors);
    if (document.isEmpty()) {
      throw new ConfigException(ConfigError.inSource(source, "the file is empty; " + expected));
    }
    if (!(document.get() instanceof YamlNode.Mapping root)) {
      errors.add(ConfigError.at(document.get().position(), "",
          "the top level is " + document.get().describe() + "; " + expected));
      throw new ConfigException(errors);
    }
    new Overrides(reader, errors).apply(root, sets);
    LocationIndex locations = LocationIndex.of(root);
    Optional<T> value = new RecordBinder(reader, locations, shapes, errors).bindRoot(type, root);
    if (!errors.isEmpty() || value.isEmpty()) {
      errors.sort(FILE_ORDER);
      throw new ConfigException(errors);
    }
    return new Bound<>(value.get(), locations);
  }

  /** Largest configuration file read, bytes: scenarios and profiles are small text files. */
  public static final long MAX_FILE_BYTES = 16L << 20;

  private static String readText(Path file) throws ConfigException {
    try {
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        // a FIFO would block the read forever, a device never ends
        throw new ConfigException(ConfigError.inSource(file.toString(), "is not a regular file ("
            + (Files.isDirectory(file) ? "a folder" : "a device, pipe or socket") + "); allowed: a YAML file"));
      }
      if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(ConfigError.inSource(file.toString(), "is " + Files.size(file)
            + " bytes; allowed: at most " + MAX_FILE_BYTES + " bytes (16 MiB) of YAML"));
      }
      // a fresh decoder reports malformed bytes instead of replacing them
      String text = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (NoSuchFileException e) {
      throw new ConfigException(ConfigError.inSource(file.toString(), "no such file"));
    } catch (CharacterCodingException e) {
      throw new ConfigException(ConfigError.inSource(file.toString(), "is not UTF-8 text"));
    } catch (IOException e) {
      throw new ConfigException(ConfigError.inSource(file.toString(),
          "cannot read the file: " + e.getMessage()));
    }
  }
}
