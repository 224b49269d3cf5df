package dev.tokentherm.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it. The message is meant for
 * users as it is: at most three error lines, then how many more there are.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 3;

  private final List<ConfigError> errors;
  private final long unlisted;

  public ConfigException(List<ConfigError> errors) {
    this(errors, 0);
  }

  /** {@code unlisted}: further errors counted but not kept (a trace's millions of bad rows). */
  public ConfigException(List<ConfigError> errors, long unlisted) {
    super(null, null, false, false); // users see the message, never a stack trace
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
    this.unlisted = unlisted;
  }

  public ConfigException(ConfigError error) {
    this(List.of(error));
  }

  /** Every error, in the order of the file. */
  public List<ConfigError> errors() {
    return errors;
  }

  @Override
  public String getMessage() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(SHOWN, errors.size()); i++) {
      if (i > 0) {
        text.append('\n');
      }
      text.append(errors.get(i).format());
    }
    long total = errors.size() + unlisted;
    if (total > SHOWN) {
      text.append("\n… and ").append(total - SHOWN).append(" more");
    }
    return text.toString();
  }
}
