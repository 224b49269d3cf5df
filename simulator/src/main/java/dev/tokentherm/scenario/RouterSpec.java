package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;

@Doc("How requests are spread over a deployment's replicas")
public record RouterSpec(
    @Default("session-affinity")
    @OneOf({"session-affinity", "round-robin", "join-shortest-queue", "least-outstanding-tokens", "prefix-aware"})
    @Doc("session-affinity: a conversation stays on the replica it started on (chosen round-robin);"
        + " round-robin: each request to the next replica; join-shortest-queue: fewest waiting + running requests;"
        + " least-outstanding-tokens: fewest tokens still to prefill and decode; prefix-aware: the replica maximising"
        + " the prompt tokens its prefix cache holds (a trace's hashes) less the tokens it has outstanding."
        + " A conversation moved to another"
        + " replica leaves its KV behind and recomputes its history.") String policy) {}
