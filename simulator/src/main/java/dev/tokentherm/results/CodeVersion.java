package dev.tokentherm.results;

/** The version of the code that runs: the jar manifest's Implementation-Version, or "dev" when run from classes. */
public final class CodeVersion {
  private CodeVersion() {}

  public static String current() {
    String v = CodeVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
