package dev.tokentherm.config;

import java.util.ServiceLoader;

/** Holder of {@link Catalog#installed}: loaded once, on first use, through {@link ServiceLoader}. */
final class InstalledCatalog {
  static final Catalog CATALOG =
      ServiceLoader.load(Catalog.class, Catalog.class.getClassLoader()).findFirst().orElse(Catalog.EMPTY);

  private InstalledCatalog() {}
}
