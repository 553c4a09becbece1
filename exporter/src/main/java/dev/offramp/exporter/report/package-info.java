/**
 * Human- and machine-readable output shared by the commands and the benchmarks: the profile summary
 * table, profile metrics as snake_case JSON maps, and the project's one SVG chart writer ({@link
 * dev.offramp.exporter.report.SvgChart}: scatter and bar charts), with the build's two plots on top
 * of it ({@link dev.offramp.exporter.report.SvgPlots}). The build's report.json is assembled in
 * {@code build.BuildReport}.
 */
package dev.offramp.exporter.report;
