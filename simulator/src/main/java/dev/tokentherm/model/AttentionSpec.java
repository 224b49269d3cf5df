package dev.tokentherm.model;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;

/**
 * A deployment's override of its model's attention. The variant changes how history is held and
 * attended (and the mixer's projections); the FFN, embeddings and LM head stay the model's.
 */
@Doc("Override of the model's attention: the variant and its parameters (defaults: the study's)")
public record AttentionSpec(
    @Required @OneOf({"mha", "gqa", "mqa", "mla", "dsa", "sliding-window", "global-local",
        "compressive-memory", "chunked-retrieval", "mamba", "hybrid"})
    @Doc("mha/gqa/mqa: full attention with the model's heads; mla: latent KV; dsa: mla + top-k indexer;"
        + " sliding-window; global-local; compressive-memory; chunked-retrieval; mamba: state-space layers only;"
        + " hybrid: 1 attention layer in attention_every, the rest Mamba") String variant,
    @Default("4096") @Range(min = 1) @Doc("sliding-window W; local window of global-local; recent tokens kept raw by compressive-memory and chunked-retrieval") int windowTokens,
    @Default("128") @Range(min = 0) @Doc("global tokens every query attends (global-local)") int globalTokens,
    @Default("512") @Range(min = 1) @Doc("memory slots history is folded into (compressive-memory)") int memorySlots,
    @Default("8") @Range(min = 0) @Doc("chunks retrieved per turn (chunked-retrieval)") int retrievedChunks,
    @Default("512") @Range(min = 1) @Doc("tokens per retrieval chunk (chunked-retrieval)") int chunkTokens,
    @Default("100000000") @Range(min = 0) @Doc("parameters of the embedding model run over each new chunk (chunked-retrieval)") long embeddingParams,
    @Default("1") @Range(min = 0) @Doc("time of one vector search per turn, ms (chunked-retrieval)") double vectorSearchMs,
    @Default("512") @Range(min = 1) @Doc("latent KV rank (mla, dsa)") int kvLoraRank,
    @Default("64") @Range(min = 1) @Doc("decoupled RoPE key dimension (mla, dsa)") int ropeHeadDim,
    @Default("2048") @Range(min = 1) @Doc("tokens the main attention reads per query (dsa)") int topK,
    @Default("64") @Range(min = 1) @Doc("indexer heads (dsa)") int indexerHeads,
    @Default("128") @Range(min = 1) @Doc("indexer head dimension (dsa)") int indexerHeadDim,
    @Default("16") @Range(min = 1) @Doc("SSM state size (mamba, hybrid)") int dState,
    @Default("4") @Range(min = 1) @Doc("convolution width (mamba, hybrid)") int dConv,
    @Default("2") @Range(min = 1) @Doc("inner expansion (mamba, hybrid)") int expand,
    @Default("8") @Range(min = 1) @Doc("one attention layer in this many (hybrid)") int attentionEvery) {}
