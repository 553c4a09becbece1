/**
 * Result plumbing shared by the benchmarks: machine description and the one JSON writer and reader
 * ({@code Json}: result documents are records, snake_case keys through Jackson databind, written
 * atomically). Charts are drawn by the exporter's {@code report.SvgChart}, the project's one SVG
 * writer. Stateless.
 */
package dev.offramp.benchmarks.report;
