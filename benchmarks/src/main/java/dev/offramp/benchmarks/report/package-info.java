/**
 * Result plumbing shared by the benchmarks: machine description and atomic JSON files. Charts are
 * drawn by the exporter's {@code report.SvgChart}, the project's one SVG writer. Stateless.
 */
package dev.offramp.benchmarks.report;
