package dev.tokentherm.config;

/** A record with rules across its fields, checked after binding. */
public interface Validatable {
  /** Report each broken rule through {@code v.error(field, message)}; field is the snake_case key. */
  void validate(Validation v);
}
