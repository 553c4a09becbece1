/**
 * Cascade evaluation: per profile, accuracy against the labels and against the backbone, mean MACs
 * (heads included) and their fraction of the backbone's, exit rates per stage, per-class precision.
 *
 * <p>{@link dev.offramp.exporter.evaluate.CascadeMetrics} is a pure function of per-sample,
 * per-stage probabilities, so calibration (expected figures on the valid split) and {@code offramp
 * evaluate} (through {@code CascadeExecutor}, the runtime's executor) compute the same numbers the
 * same way; the answering stage always comes from {@code ExitRule.decide}. {@link
 * dev.offramp.exporter.evaluate.BundleEvaluator} runs a bundle over a dataset split.
 */
package dev.offramp.exporter.evaluate;
