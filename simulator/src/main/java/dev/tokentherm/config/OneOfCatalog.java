package dev.tokentherm.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a text field are the names a {@link Catalog} lists for a kind (e.g.
 * {@code @OneOfCatalog("router")}), in its order. The field's description starts with each name and
 * its one line ("name: line; name: line"), followed by the field's {@link Doc}, if any, as a
 * further sentence.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OneOfCatalog {
  /** The catalog's kind. */
  String value();
}
