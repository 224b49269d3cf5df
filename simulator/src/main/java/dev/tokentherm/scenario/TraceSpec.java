package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

@Doc("Replay of a request trace: arrivals at the trace's times, its token counts")
public record TraceSpec(
    @Required @OneOf({"azure", "mooncake", "csv"}) @Doc("azure: Azure LLM inference 2023 CSV; mooncake: Mooncake JSONL;"
        + " csv: a header line, then one request per line: arrival_s,input_tokens,output_tokens[,session_id]"
        + " (the header names the columns, in any order; arrival_s in seconds, non-decreasing; session_id optional,"
        + " rows with the same id are the turns of one conversation)") String format,
    @Required @Doc("trace file, relative to the scenario file") String path,
    @Range(min = 1) @Doc("replay only the first this many requests") Long maxRequests,
    @Default("whole") @OneOf({"whole", "new"}) @Doc("what a session's input_tokens counts (csv with session_id;"
        + " azure and mooncake rows have no sessions and are whole prompts): whole: the whole prompt, history"
        + " included, so a later turn must be longer than the previous prompt + reply (else an error on its row);"
        + " new: per-turn counts, the turn's new tokens, added to the context") String inputTokens) {}
