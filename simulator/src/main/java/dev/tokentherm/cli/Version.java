package dev.tokentherm.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (or "dev" when run from classes). */
public final class Version implements IVersionProvider {
  public static String current() {
    return dev.tokentherm.results.CodeVersion.current();
  }

  @Override
  public String[] getVersion() {
    return new String[] {"tokentherm " + current()};
  }
}
