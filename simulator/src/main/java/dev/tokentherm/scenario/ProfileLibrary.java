package dev.tokentherm.scenario;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.config.ConfigLoader;
import dev.tokentherm.config.DidYouMean;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.ModelProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of hardware profiles ({@code gpus/}, {@code nodes/}, {@code models/}, {@code
 * stacks/}, each holding {@code <id>.yaml}), loaded on first use and kept. A profile's {@code id}
 * must equal its file name; a bad file gives the same one-line errors as a scenario, naming the
 * profile file.
 */
public final class ProfileLibrary {
  /** The folder name {@link #locate} looks for. */
  public static final String FOLDER_NAME = "hardware-profiles";

  private final Path root;
  private final Map<ProfileKind<?>, Map<String, Bound<?>>> loaded = new HashMap<>();
  /** --set assignments applied to profiles as they load, by "FOLDER/ID" (gpus/h100-sxm). */
  private final Map<String, List<String>> sets;

  public ProfileLibrary(Path root) {
    this(root, Map.of());
  }

  private ProfileLibrary(Path root, Map<String, List<String>> sets) {
    this.root = root;
    this.sets = Map.copyOf(sets);
  }

  /**
   * The same folder with {@code --set} assignments applied to some profiles as they load, by
   * "FOLDER/ID" ({@code gpus/h100-sxm → [active_idle_w.value=96]}): sweeps perturb estimates with it.
   */
  public ProfileLibrary withSets(Map<String, List<String>> profileSets) {
    return new ProfileLibrary(root, profileSets);
  }

  /** The property the launcher sets to the installation folder (the repository root). */
  public static final String HOME_PROPERTY = "tokentherm.home";

  /**
   * The library in {@code folder}, or when it is null (no --profiles given) in
   * ./hardware-profiles, else the installation's ({@link #installed}).
   */
  public static ProfileLibrary at(Path folder) {
    return new ProfileLibrary(folder != null ? folder : fallback(Path.of("").toAbsolutePath()));
  }

  public Path root() {
    return root;
  }

  /**
   * The default library of a scenario: the nearest {@code hardware-profiles/} folder in the
   * scenario's folder or above it, else {@code ./hardware-profiles}, else the installation's
   * ({@link #installed}), so that a scenario kept outside the repository still finds the shipped
   * profiles. A folder found under the working directory is returned relative to it, so that
   * messages stay short.
   */
  public static Path locate(Path scenarioFile) {
    return locate(scenarioFile, Path.of("").toAbsolutePath());
  }

  /** {@link #locate(Path)} from the working directory {@code workingDirectory}. */
  public static Path locate(Path scenarioFile, Path workingDirectory) {
    Path start = scenarioFile.toAbsolutePath().normalize().getParent();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      Path candidate = folder.resolve(FOLDER_NAME);
      if (Files.isDirectory(candidate)) {
        return candidate.startsWith(workingDirectory)
            ? workingDirectory.relativize(candidate) : candidate;
      }
    }
    return fallback(workingDirectory);
  }

  private static Path fallback(Path workingDirectory) {
    if (Files.isDirectory(workingDirectory.resolve(FOLDER_NAME))) {
      return Path.of(FOLDER_NAME);
    }
    Path installed = installed();
    return installed != null ? installed : Path.of(FOLDER_NAME);
  }

  /**
   * The installation's {@code hardware-profiles/}: under the folder the property {@value
   * #HOME_PROPERTY} names (the launcher sets it), else the nearest one above the jar (or classes
   * folder) this class was loaded from; null when there is none.
   */
  public static Path installed() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      Path candidate = Path.of(home).toAbsolutePath().normalize().resolve(FOLDER_NAME);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    Path code;
    try {
      var source = ProfileLibrary.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      code = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
    } catch (RuntimeException | java.net.URISyntaxException e) {
      return null; // not loaded from a file (a custom class loader)
    }
    for (Path folder = code.getParent(); folder != null; folder = folder.getParent()) {
      Path candidate = folder.resolve(FOLDER_NAME);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The ids of one kind (file names without .yaml), sorted; none when the folder is missing. */
  public List<String> ids(ProfileKind<?> kind) {
    Path folder = folder(kind);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") && name.length() > ".yaml".length())
          .map(name -> name.substring(0, name.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  public GpuProfile gpu(String id) throws ConfigException {
    return get(ProfileKind.GPU, id).value();
  }

  public NodeProfile node(String id) throws ConfigException {
    return get(ProfileKind.NODE, id).value();
  }

  public ModelProfile model(String id) throws ConfigException {
    return get(ProfileKind.MODEL, id).value();
  }

  public StackProfile stack(String id) throws ConfigException {
    return get(ProfileKind.STACK, id).value();
  }

  /**
   * A profile with the positions of its values, loaded on first use.
   *
   * @throws ConfigException when there is no such profile, or its file is not valid
   */
  public synchronized <T extends Record> Bound<T> get(ProfileKind<T> kind, String id)
      throws ConfigException {
    Map<String, Bound<?>> ofKind = loaded.computeIfAbsent(kind, k -> new HashMap<>());
    @SuppressWarnings("unchecked") // stored under its own kind only
    Bound<T> cached = (Bound<T>) ofKind.get(id);
    if (cached != null) {
      return cached;
    }
    List<String> ids = ids(kind);
    if (!ids.contains(id)) {
      throw new ConfigException(ConfigError.inSource(folderName(kind),
          "unknown " + kind.noun() + " '" + id + "'; " + hint(kind, id, ids)));
    }
    Bound<T> bound = ConfigLoader.load(folder(kind).resolve(id + ".yaml"), kind.type(),
        sets.getOrDefault(kind.folder() + "/" + id, List.of()));
    String declared = kind.idOf().apply(bound.value());
    if (!declared.equals(id)) {
      throw new ConfigException(bound.errorAt("id", "is '" + declared + "' but the file is "
          + id + ".yaml; the id must equal the file name"));
    }
    ofKind.put(id, bound);
    return bound;
  }

  /**
   * Loads every profile a scenario names: cluster.nodes[i].profile (node), the node's gpu,
   * deployments[i].model, deployments[i].stack and deployments[i].kv.connector (unless none). Each
   * unknown id is reported where the scenario (or node profile) names it, with the closest known
   * id; bad profile files report their own errors. All of them come in one exception.
   */
  public ResolvedProfiles resolve(Bound<Scenario> scenario) throws ConfigException {
    Resolution resolution = new Resolution();
    List<NodeGroup> groups = scenario.value().cluster().nodes();
    for (int i = 0; i < groups.size(); i++) {
      Bound<NodeProfile> node = resolution.find(ProfileKind.NODE, groups.get(i).profile(),
          scenario, "cluster.nodes[" + i + "].profile");
      if (node != null) {
        resolution.find(ProfileKind.GPU, node.value().gpu(), node, "gpu");
      }
    }
    List<Deployment> deployments = scenario.value().deployments();
    for (int i = 0; i < deployments.size(); i++) {
      Deployment deployment = deployments.get(i);
      resolution.find(ProfileKind.MODEL, deployment.model(), scenario,
          "deployments[" + i + "].model");
      resolution.find(ProfileKind.STACK, deployment.stack(), scenario,
          "deployments[" + i + "].stack");
      if (deployment.kv().hasConnector()) {
        resolution.find(ProfileKind.CONNECTOR, deployment.kv().connector(), scenario,
            "deployments[" + i + "].kv.connector");
      }
    }
    if (!resolution.errors.isEmpty()) {
      throw new ConfigException(new ArrayList<>(resolution.errors));
    }
    ResolvedProfiles resolved = new ResolvedProfiles(resolution.values(ProfileKind.NODE),
        resolution.values(ProfileKind.GPU), resolution.values(ProfileKind.MODEL),
        resolution.values(ProfileKind.STACK), resolution.values(ProfileKind.CONNECTOR));
    List<ConfigError> problems = DeploymentChecks.check(scenario, resolved,
        id -> folder(ProfileKind.NODE).resolve(id + ".yaml"));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return resolved;
  }

  /** The did-you-mean hint, or where no profiles of the kind were found and how to name the folder. */
  private String hint(ProfileKind<?> kind, String id, List<String> ids) {
    if (!ids.isEmpty()) {
      return DidYouMean.hint(id, ids);
    }
    return "no profiles in " + folderName(kind)
        + (Files.isDirectory(root) ? "" : " (" + root + " does not exist)")
        + "; allowed: --profiles DIR naming a hardware-profiles folder";
  }

  private Path folder(ProfileKind<?> kind) {
    return root.resolve(kind.folder());
  }

  private String folderName(ProfileKind<?> kind) {
    return folder(kind) + "/";
  }

  /** The profiles found so far for one scenario, and the problems. */
  private final class Resolution {
    // a set: a bad profile named twice is reported once
    final Set<ConfigError> errors = new LinkedHashSet<>();
    final Map<ProfileKind<?>, Map<String, Object>> found = new HashMap<>();

    /** The profile, or null after recording why there is none. */
    <T extends Record> Bound<T> find(ProfileKind<T> kind, String id, Bound<?> namedIn,
        String path) {
      List<String> ids = ids(kind);
      if (!ids.contains(id)) {
        errors.add(namedIn.errorAt(path, "unknown " + kind.noun() + " '" + id + "'; "
            + (ids.isEmpty() ? hint(kind, id, ids) : DidYouMean.hint(id, ids) + " (see " + folderName(kind) + ")")));
        return null;
      }
      try {
        Bound<T> bound = get(kind, id);
        found.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(id, bound.value());
        return bound;
      } catch (ConfigException e) {
        errors.addAll(e.errors());
        return null;
      }
    }

    @SuppressWarnings("unchecked") // values stored under their own kind only
    <T extends Record> Map<String, T> values(ProfileKind<T> kind) {
      return (Map<String, T>) (Map<String, ?>) found.getOrDefault(kind, Map.of());
    }
  }
}
