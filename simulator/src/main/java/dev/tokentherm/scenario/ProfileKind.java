package dev.tokentherm.scenario;

import dev.tokentherm.hardware.ConnectorProfile;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.ModelProfile;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of profile in a profile library: its folder, its record and how errors name it.
 *
 * @param folder sub-folder of the library holding {@code <id>.yaml} files
 * @param noun how messages name one profile ("model profile")
 * @param type the record a file binds to
 * @param idOf the id a bound profile declares
 */
public record ProfileKind<T extends Record>(String folder, String noun, Class<T> type,
    Function<T, String> idOf) {

  public static final ProfileKind<GpuProfile> GPU =
      new ProfileKind<>("gpus", "GPU profile", GpuProfile.class, GpuProfile::id);
  public static final ProfileKind<NodeProfile> NODE =
      new ProfileKind<>("nodes", "node profile", NodeProfile.class, NodeProfile::id);
  public static final ProfileKind<ModelProfile> MODEL =
      new ProfileKind<>("models", "model profile", ModelProfile.class, ModelProfile::id);
  public static final ProfileKind<StackProfile> STACK =
      new ProfileKind<>("stacks", "stack profile", StackProfile.class, StackProfile::id);

  public static final ProfileKind<ConnectorProfile> CONNECTOR =
      new ProfileKind<>("connectors", "connector profile", ConnectorProfile.class, ConnectorProfile::id);

  public static List<ProfileKind<?>> all() {
    return List.of(GPU, NODE, MODEL, STACK, CONNECTOR);
  }

  @Override
  public String toString() {
    return folder;
  }
}
