/**
 * The simulated clock, the event queue, deterministic ordering and random streams. Knows nothing
 * about LLMs or GPUs and depends on the JDK alone.
 *
 * <p>{@link dev.tokentherm.engine.Engine} runs events in (time, phase, key, seq) order on a
 * {@code long} nanosecond clock; {@link dev.tokentherm.engine.Durations} is the one place where
 * model seconds become clock nanoseconds; {@link dev.tokentherm.engine.RandomStreams} derives
 * independent {@link dev.tokentherm.engine.SplitMix64} streams from (seed, family, index).
 */
package dev.tokentherm.engine;
