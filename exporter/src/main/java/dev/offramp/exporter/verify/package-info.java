/**
 * Proof that stages chained compute what the backbone computes.
 *
 * <p>{@link dev.offramp.exporter.verify.StageSources} reads either a split directory ({@code
 * stage-0.onnx …}) or a bundle ({@code manifest.json}: {@code stages[].file}, {@code input}, {@code
 * features}; head outputs are ignored). {@link dev.offramp.exporter.verify.StageChainVerifier} runs
 * the backbone, with every compared tensor added as an output, and the chain, each stage fed only
 * by the previous stage, on seeded random normal inputs, and reports per tensor the maximum
 * absolute error and the relative error {@code max|a-b| / max(max|b|, 1e-6)} (relative to the
 * tensor's scale, so near-zero elements do not inflate it). A NaN on one side only counts as an
 * infinite error.
 *
 * <p>Errors: {@link dev.offramp.exporter.verify.VerificationException} names the directory, file,
 * manifest field or tensor at fault. Stateless; sessions are opened and closed per call.
 */
package dev.offramp.exporter.verify;
