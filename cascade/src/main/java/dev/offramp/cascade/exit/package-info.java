/**
 * The exit rule and the per-class thresholds it reads. Everything that decides whether a sample
 * leaves early (CPM calibration, evaluation, the runtime) goes through {@link
 * dev.offramp.cascade.exit.ExitRule}; nothing re-implements it.
 */
package dev.offramp.cascade.exit;
