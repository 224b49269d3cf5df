package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;

@Doc("How conversations are spread over replicas")
public record RouterSpec(
    @Default("session-affinity") @OneOf({"session-affinity"}) @Doc("session-affinity: a conversation stays on the replica it started on (chosen round-robin)") String policy) {}
