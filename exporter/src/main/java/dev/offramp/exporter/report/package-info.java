/**
 * Human- and machine-readable output of a build: a stderr progress bar, the summary table,
 * report.json (snake_case) and the hand-written SVG plots (accuracy vs MAC fraction for every
 * profile, boosted and baseline on one chart; exit histogram).
 */
package dev.offramp.exporter.report;
