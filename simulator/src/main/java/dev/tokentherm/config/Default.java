package dev.tokentherm.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Value used when the key is absent, written as YAML (flow style): {@code "0.9"}, {@code "bf16"},
 * {@code "{}"} (a nested record built from its own defaults), {@code "[5, 55]"}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  String value();
}
