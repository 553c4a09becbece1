/**
 * Console progress for long steps (feature extraction, training, evaluation): a stderr progress bar
 * that every step may use. Depends on nothing else in the exporter, so any package can report
 * progress without a package cycle.
 */
package dev.offramp.exporter.progress;
