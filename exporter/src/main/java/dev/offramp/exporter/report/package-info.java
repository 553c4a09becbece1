/**
 * Human- and machine-readable output shared by the commands and the benchmarks: the profile summary
 * table, the exporter's one JSON writer ({@link dev.offramp.exporter.report.ReportWriter#json}:
 * records with snake_case keys, Jackson databind), profile metrics as a record ({@link
 * dev.offramp.exporter.report.ProfileReport}, in report.json and {@code evaluate --json}), and the
 * project's one SVG chart writer ({@link dev.offramp.exporter.report.SvgChart}: scatter and bar
 * charts), with the build's two plots on top of it ({@link dev.offramp.exporter.report.SvgPlots}).
 * report.json's own records are in {@code build.ReportDocument}. Depends on {@code evaluate} and
 * Jackson only.
 */
package dev.offramp.exporter.report;
