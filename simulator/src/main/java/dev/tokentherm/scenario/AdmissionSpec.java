package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOfCatalog;
import dev.tokentherm.config.Range;

@Doc("Admission limits of a deployment; a request refused or timed out fails the SLO and ends its conversation")
public record AdmissionSpec(
    @Range(min = 1) @Doc("most requests waiting on one replica; one more is rejected (default: no limit)") Integer maxQueue,
    @Range(min = 0, max = Limits.MAX_SECONDS, minExclusive = true) @Doc("seconds a request may wait for admission before it is dropped as timed out (default: no limit)") Double queueTimeoutS,
    @Range(min = 1) @Doc("most tokens of context a request may need (prompt with history + output); default: the smaller of the model's context and what a replica's KV cache holds; larger than the KV cache is an error, as in vLLM") Long maxModelLen,
    @Default("fcfs") @OneOfCatalog("admission")
    @Doc("The order in which a replica admits its waiting requests.") String policy) {}
