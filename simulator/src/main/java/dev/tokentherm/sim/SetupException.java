package dev.tokentherm.sim;

import java.util.List;

/**
 * The scenario cannot be simulated (a model does not fit, too few GPUs, a feature not modelled):
 * each problem names the scenario field path, so the caller can point at its line and column.
 */
public final class SetupException extends Exception {
  private static final long serialVersionUID = 1L;

  /** One problem: a field path such as {@code deployments[0].model} and "what is wrong; what is allowed". */
  public record Problem(String path, String message) {}

  private final transient List<Problem> problems;
  private final long unlisted;

  public SetupException(List<Problem> problems) {
    this(problems, 0);
  }

  /** {@code unlisted}: further problems of the same kind, counted but not listed (a trace's bad rows). */
  public SetupException(List<Problem> problems, long unlisted) {
    super(problems.get(0).path() + ": " + problems.get(0).message());
    this.problems = List.copyOf(problems);
    this.unlisted = unlisted;
  }

  public List<Problem> problems() {
    return problems;
  }

  /** Problems found beyond {@link #problems()}, only counted. */
  public long unlisted() {
    return unlisted;
  }
}
