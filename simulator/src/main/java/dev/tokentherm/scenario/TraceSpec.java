package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("Replay of a request trace: arrivals at the trace's times, its token counts")
public record TraceSpec(
    @Required @OneOf({"azure", "mooncake", "csv"}) @Doc("azure: Azure LLM inference 2023 CSV; mooncake: Mooncake JSONL; csv: arrival_s,input_tokens,output_tokens[,session_id]") String format,
    @Required @Doc("trace file, relative to the scenario file") String path,
    @Range(min = 1) @Doc("replay only the first this many requests") Long maxRequests) {}
