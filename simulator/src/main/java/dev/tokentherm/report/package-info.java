/**
 * Reports people read, drawn from a results folder's written files only (summary.json,
 * manifest.json, assumptions.json, latencies.hlog, report_series.csv, conversations.csv), never
 * from the simulation: report.html (self-contained, Apache ECharts inlined from its webjar) and
 * report.md. The readers ({@link dev.tokentherm.report.Results}), the chart data
 * ({@link dev.tokentherm.report.Chart}, {@link dev.tokentherm.report.ReportCharts}), the tables
 * ({@link dev.tokentherm.report.Table}, {@link dev.tokentherm.report.SummaryTables}) and the page
 * ({@link dev.tokentherm.report.HtmlPage}) are meant for a comparison of several runs too.
 */
package dev.tokentherm.report;
