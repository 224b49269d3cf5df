package dev.tokentherm.registry;

import java.util.function.Function;

/**
 * One kind of named policy: the catalog name scenario fields use ({@code @OneOfCatalog("router")}),
 * a title for help, and how an implementation states its name (checked against its registry line).
 *
 * @param id the kind's name in the catalog, as in {@code @OneOfCatalog(id)}
 * @param title what the kind decides, and the scenario key that names it, for help
 * @param nameOf the name an implementation gives itself ({@code Router::name})
 */
public record PolicyKind<T>(String id, String title, Function<T, String> nameOf) {}
