package dev.tokentherm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

class ProfileLibraryTest {
  private final Path root = resource("/config/profiles");
  private final Path badRoot = resource("/config/bad-profiles");
  private final ProfileLibrary library = new ProfileLibrary(root);

  private static Path resource(String name) {
    try {
      return Path.of(ProfileLibraryTest.class.getResource(name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> lines(ConfigException e) {
    return e.errors().stream().map(ConfigError::format).toList();
  }

  @Test
  void listsIdsSortedByKind() {
    assertThat(library.ids(ProfileKind.MODEL)).containsExactly("llama-3.1-70b", "llama-3.1-8b");
    assertThat(library.ids(ProfileKind.NODE)).containsExactly("dgx-h100", "typo-gpu-node");
    assertThat(library.ids(ProfileKind.STACK)).containsExactly("vllm-v1");
    assertThat(new ProfileLibrary(root.resolve("nowhere")).ids(ProfileKind.GPU)).isEmpty();
  }

  @Test
  void loadsOnceAndKeeps() throws ConfigException {
    GpuProfile gpu = library.gpu("h100-sxm");
    assertThat(gpu.hbmMib().value()).isEqualTo(81559.0);
    assertThat(gpu.hbmMib().source()).isEqualTo("measured: nvidia-smi total memory");
    assertThat(gpu.fp8Tflops().value()).isEqualTo(1979.0);
    assertThat(library.gpu("h100-sxm")).isSameAs(gpu);
    NodeProfile node = library.node("dgx-h100");
    assertThat(node.gpusPerNode()).isEqualTo(8);
    assertThat(node.nics().gbitPerS().value()).isEqualTo(400.0);
    assertThat(library.model("llama-3.1-8b").kvHeads()).isEqualTo(8);
    assertThat(library.model("llama-3.1-8b").attention()).isEqualTo("gqa");
    assertThat(library.stack("vllm-v1").activationPeak().logitsBytes().value()).isEqualTo(4.0);
  }

  @Test
  void unknownIdAskedDirectly() {
    ConfigException e = assertThrows(ConfigException.class, () -> library.model("llama"));
    assertThat(lines(e)).containsExactly(root.resolve("models") + "/: unknown model profile "
        + "'llama'; did you mean 'llama-3.1-8b'?");
  }

  @Test
  void resolvesEveryProfileAScenarioNames() throws Exception {
    ResolvedProfiles profiles = library.resolve(ScenarioLoader.parse(ScenarioLoaderTest.BASE,
        "s.yaml"));
    assertThat(profiles.nodes()).containsOnlyKeys("dgx-h100");
    assertThat(profiles.gpus()).containsOnlyKeys("h100-sxm");
    assertThat(profiles.models()).containsOnlyKeys("llama-3.1-8b");
    assertThat(profiles.stacks()).containsOnlyKeys("vllm-v1");
    assertThat(profiles.gpuOf(new NodeGroup("dgx-h100", 1)).id()).isEqualTo("h100-sxm");
  }

  @Test
  void unknownProfileIdIsReportedWhereTheScenarioNamesIt() throws ConfigException {
    Bound<Scenario> scenario = ScenarioLoader.parse(
        ScenarioLoaderTest.BASE.replace("model: llama-3.1-8b", "model: lama-3.1-8b"), "s.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> library.resolve(scenario));
    assertThat(lines(e)).containsExactly("s.yaml:7:12: deployments[0].model: unknown model "
        + "profile 'lama-3.1-8b'; did you mean 'llama-3.1-8b'? (see " + root.resolve("models")
        + "/)");
  }

  @Test
  void collectsEveryUnknownIdIncludingThoseInsideProfiles() throws ConfigException {
    Bound<Scenario> scenario = ScenarioLoader.parse(ScenarioLoaderTest.BASE, "s.yaml", List.of(
        "cluster.nodes=[{profile: typo-gpu-node}, {profile: pizza}]",
        "deployments[0].stack=sglang"));
    ConfigException e = assertThrows(ConfigException.class, () -> library.resolve(scenario));
    String cluster = "--set cluster.nodes=[{profile: typo-gpu-node}, {profile: pizza}]";
    assertThat(lines(e)).containsExactly(
        root.resolve("nodes/typo-gpu-node.yaml") + ":3:6: gpu: unknown GPU profile 'h100-sxn';"
            + " did you mean 'h100-sxm'? (see " + root.resolve("gpus") + "/)",
        cluster + ": cluster.nodes[1].profile: unknown node profile 'pizza'; allowed: dgx-h100,"
            + " typo-gpu-node (see " + root.resolve("nodes") + "/)",
        "--set deployments[0].stack=sglang: deployments[0].stack: unknown stack profile"
            + " 'sglang'; allowed: vllm-v1 (see " + root.resolve("stacks") + "/)");
  }

  @Test
  void aNumberWithoutSourceIsAnErrorInTheProfileFile() {
    ProfileLibrary bad = new ProfileLibrary(badRoot);
    ConfigException e = assertThrows(ConfigException.class, () -> bad.gpu("no-source"));
    Path file = badRoot.resolve("gpus/no-source.yaml");
    assertThat(lines(e)).containsExactly(
        file + ":3:10: hbm_mib.source: required field is missing; "
            + "allowed: text — measured | spec | estimate, and where from",
        file + ":8:9: idle_w: 70 has no source; "
            + "write {value: 70, source: \"measured | spec | estimate, and where from\"}");
  }

  @Test
  void anIdDifferentFromTheFileNameIsAnError() {
    ProfileLibrary bad = new ProfileLibrary(badRoot);
    ConfigException e = assertThrows(ConfigException.class, () -> bad.model("llama-3.1-8b"));
    assertThat(lines(e)).containsExactly(badRoot.resolve("models/llama-3.1-8b.yaml")
        + ":1:5: id: is 'llama-3-8b' but the file is llama-3.1-8b.yaml;"
        + " the id must equal the file name");
  }

  @Test
  void badProfileFilesAreReportedThroughResolve() throws ConfigException {
    Bound<Scenario> scenario = ScenarioLoader.parse(ScenarioLoaderTest.BASE, "s.yaml");
    ProfileLibrary bad = new ProfileLibrary(badRoot);
    ConfigException e = assertThrows(ConfigException.class, () -> bad.resolve(scenario));
    // the stack is left to its default (vllm-v1), so the error names its deployment's mapping
    assertThat(lines(e)).containsExactly(
        "s.yaml:4:29: cluster.nodes[0].profile: unknown node profile 'dgx-h100'; no profiles in "
            + badRoot.resolve("nodes") + "/; allowed: --profiles DIR naming a hardware-profiles folder",
        badRoot.resolve("models/llama-3.1-8b.yaml") + ":1:5: id: is 'llama-3-8b' but the file"
            + " is llama-3.1-8b.yaml; the id must equal the file name",
        "s.yaml:6:5: deployments[0].stack: unknown stack profile 'vllm-v1'; no profiles in "
            + badRoot.resolve("stacks") + "/; allowed: --profiles DIR naming a hardware-profiles folder");
  }

  @Test
  void locatesTheNearestProfileFolderAtOrAboveTheScenario(@TempDir Path dir) throws Exception {
    Path profiles = Files.createDirectories(dir.resolve("repo/hardware-profiles"));
    Path scenarios = Files.createDirectories(dir.resolve("repo/scenarios/deep"));
    assertThat(ProfileLibrary.locate(scenarios.resolve("x.yaml"))).isEqualTo(profiles);
    Path nearer = Files.createDirectories(scenarios.resolve("hardware-profiles"));
    assertThat(ProfileLibrary.locate(scenarios.resolve("x.yaml"))).isEqualTo(nearer);
  }

  @Test
  void fallsBackToTheWorkingDirectory(@TempDir Path dir) {
    assertThat(ProfileLibrary.locate(dir.resolve("x.yaml")))
        .isEqualTo(Path.of("hardware-profiles"));
  }

  /** A scenario outside any repository, run from a folder without profiles: the installation's. */
  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void fallsBackToTheInstallation(@TempDir Path dir) throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path cwd = Files.createDirectories(dir.resolve("cwd"));
    Path installed = ProfileLibrary.installed();
    // the classes folder (or jar) of this build lies under the repository's hardware-profiles' parent
    assertThat(installed).isNotNull().isEqualTo(Path.of("hardware-profiles").toAbsolutePath().normalize());
    assertThat(ProfileLibrary.locate(elsewhere.resolve("x.yaml"), cwd)).isEqualTo(installed);

    Path home = Files.createDirectories(dir.resolve("home/hardware-profiles"));
    String before = System.getProperty(ProfileLibrary.HOME_PROPERTY);
    System.setProperty(ProfileLibrary.HOME_PROPERTY, dir.resolve("home").toString());
    try {
      assertThat(ProfileLibrary.locate(elsewhere.resolve("x.yaml"), cwd)).isEqualTo(home);
    } finally {
      if (before == null) {
        System.clearProperty(ProfileLibrary.HOME_PROPERTY);
      } else {
        System.setProperty(ProfileLibrary.HOME_PROPERTY, before);
      }
    }
  }
}
