/**
 * What a run writes, as types: {@link dev.tokentherm.results.Summary} (summary.json, one record per
 * block), {@link dev.tokentherm.results.Manifest} (manifest.json, with the
 * {@link dev.tokentherm.results.RunHash run hash}), their writer and reader
 * ({@link dev.tokentherm.results.SummaryJson}), the JSON Schema derived from the records
 * ({@link dev.tokentherm.results.ResultsSchema}, committed as schemas/summary.schema.json), the
 * console table rendered from a summary ({@link dev.tokentherm.results.SummaryTable}) and the
 * atomic writing of a results folder ({@link dev.tokentherm.results.ResultsFolder}).
 *
 * <p>New output keys, from any later change, go into these records (a component in the place of
 * the key, {@link dev.tokentherm.results.IfPresent} when the key is optional), never into
 * hand-built JSON: the writer, the reader, the schema and its test then follow by themselves. Keys
 * are only ever added, never renamed; summary.json's bytes are pinned by GoldenTest.
 *
 * <p>Depends on the scenario records (for the run hash) and Jackson only; sim fills the summary,
 * cli writes and prints it.
 */
package dev.tokentherm.results;
