package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOfCatalog;

@Doc("How requests are spread over a deployment's replicas")
public record RouterSpec(
    @Default("session-affinity") @OneOfCatalog("router")
    @Doc("A conversation moved to another replica leaves its KV behind and recomputes its history.") String policy) {}
