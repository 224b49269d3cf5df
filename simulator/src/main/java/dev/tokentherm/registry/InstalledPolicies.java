package dev.tokentherm.registry;

import dev.tokentherm.config.Catalog;
import java.util.List;

/**
 * The standard {@link PolicyRegistry} as the {@link Catalog} that config finds through
 * {@link java.util.ServiceLoader} (named in META-INF/services), for loaders and schema writers not
 * given one.
 */
public final class InstalledPolicies implements Catalog {
  @Override
  public List<String> names(String kind) {
    return PolicyRegistry.standard().names(kind);
  }

  @Override
  public String description(String kind, String name) {
    return PolicyRegistry.standard().description(kind, name);
  }
}
