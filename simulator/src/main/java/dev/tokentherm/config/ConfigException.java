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

  public ConfigException(List<ConfigError> errors) {
    super(null, null, false, false); // users see the message, never a stack trace
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
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
    if (errors.size() > SHOWN) {
      text.append("\n… and ").append(errors.size() - SHOWN).append(" more");
    }
    return text.toString();
  }
}
