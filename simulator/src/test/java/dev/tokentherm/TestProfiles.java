package dev.tokentherm;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.ModelProfile;
import dev.tokentherm.scenario.ProfileLibrary;
import java.nio.file.Path;

/** The shipped hardware profiles, for tests (surefire runs in the repository root). */
public final class TestProfiles {
  public static final ProfileLibrary LIBRARY = new ProfileLibrary(Path.of("hardware-profiles"));

  private TestProfiles() {}

  public static GpuProfile gpu(String id) {
    try {
      return LIBRARY.gpu(id);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static NodeProfile node(String id) {
    try {
      return LIBRARY.node(id);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static ModelProfile model(String id) {
    try {
      return LIBRARY.model(id);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static StackProfile stack(String id) {
    try {
      return LIBRARY.stack(id);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
