package dev.tokentherm.scenario;

import dev.tokentherm.hardware.ConnectorProfile;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.model.ModelProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profiles a scenario names, each loaded and checked, by id in the order the scenario first
 * names them.
 */
public record ResolvedProfiles(Map<String, NodeProfile> nodes, Map<String, GpuProfile> gpus,
    Map<String, ModelProfile> models, Map<String, StackProfile> stacks, Map<String, ConnectorProfile> connectors) {

  public ResolvedProfiles {
    nodes = frozen(nodes);
    gpus = frozen(gpus);
    models = frozen(models);
    stacks = frozen(stacks);
    connectors = frozen(connectors);
  }

  public NodeProfile node(String id) {
    return get(nodes, id, ProfileKind.NODE);
  }

  public GpuProfile gpu(String id) {
    return get(gpus, id, ProfileKind.GPU);
  }

  public ModelProfile model(String id) {
    return get(models, id, ProfileKind.MODEL);
  }

  public StackProfile stack(String id) {
    return get(stacks, id, ProfileKind.STACK);
  }

  /** The connector a deployment's kv.connector names, or null for none. */
  public ConnectorProfile connectorOf(Deployment d) {
    return d.kv().hasConnector() ? get(connectors, d.kv().connector(), ProfileKind.CONNECTOR) : null;
  }

  /** The GPU of a node group's nodes. */
  public GpuProfile gpuOf(NodeGroup group) {
    return gpu(node(group.profile()).gpu());
  }

  private static <T> T get(Map<String, T> profiles, String id, ProfileKind<?> kind) {
    T profile = profiles.get(id);
    if (profile == null) {
      throw new IllegalArgumentException("the scenario names no " + kind.noun() + " '" + id + "'");
    }
    return profile;
  }

  private static <T> Map<String, T> frozen(Map<String, T> profiles) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
  }
}
