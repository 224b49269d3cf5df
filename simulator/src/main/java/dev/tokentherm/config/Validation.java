package dev.tokentherm.config;

/** Collects the errors a {@link Validatable} record finds in itself. */
public interface Validation {
  /**
   * @param field snake_case key of the offending field of this record, or "" for the record itself
   * @param message "what is wrong; what is allowed"
   */
  void error(String field, String message);
}
