/**
 * Human- and machine-readable output shared by the commands: the profile summary table, profile
 * metrics as snake_case JSON maps, and the hand-written SVG plots (accuracy vs MAC fraction, exit
 * histogram). The build's report.json is assembled in {@code build.BuildReport}.
 */
package dev.offramp.exporter.report;
